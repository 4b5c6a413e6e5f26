using System.CommandLine;
using FastMlp.Cli.Data;

namespace FastMlp.Cli.Options;

/// <summary>The options that choose a dataset: --data CSV (+ --target, --task), --data-idx images labels, or --dataset.</summary>
internal sealed class DataOptions
{
    public Option<string?> Data { get; } = new("--data") { Description = "CSV file with a header row ('-' reads stdin)." };
    public Option<string?> Target { get; } = new("--target") { Description = "Target column of the CSV (default: the last column); a,b: several numeric columns, a regression with one output each." };
    public Option<string> Task { get; } = new("--task") { Description = "auto | classification | regression (auto: text or few-integer target → classification).", DefaultValueFactory = _ => "auto" };
    public Option<string[]> DataIdx { get; } = new("--data-idx") { Description = "IDX image and label files (gzipped or not), e.g. full MNIST.", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true };
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "An embedded dataset: mnist (default), digits or diabetes." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Target);
        command.Options.Add(Task);
        command.Options.Add(DataIdx);
        command.Options.Add(Dataset);
    }

    /// <summary>Loads the chosen data; <paramref name="fallback"/> is the embedded dataset used when none is given.</summary>
    /// <remarks>With <paramref name="raw"/> a CSV's feature cells are kept as text for a <see cref="TabularSchema"/>.</remarks>
    public TabularData Load(ParseResult parse, CliContext cli, string fallback, bool raw = false, string? sampleWeight = null)
    {
        string? csv = parse.GetValue(Data);
        string[]? idx = parse.GetValue(DataIdx);
        string? embedded = parse.GetValue(Dataset);
        // Every value is checked whatever else is given: a typo in --task must not pass because --dataset was used.
        TaskKind task = OptionParsing.Task(parse.GetValue(Task) ?? "auto");
        if (embedded is not null && !EmbeddedDatasets.Names.Contains(embedded.ToLowerInvariant()))
        {
            throw new CliException($"--dataset: unknown dataset '{embedded}'; choose one of {string.Join(", ", EmbeddedDatasets.Names)}.");
        }
        int chosen = (csv is null ? 0 : 1) + (idx is { Length: > 0 } ? 1 : 0) + (embedded is null ? 0 : 1);
        if (chosen > 1)
        {
            throw new CliException("--data, --data-idx and --dataset choose the data: give only one of them.");
        }
        if (csv is null && parse.GetResult(Target) is { Implicit: false })
        {
            throw new CliException("--target: chooses a column of a --data CSV file; the embedded and IDX data sets have their own target.");
        }
        if (csv is null && parse.GetResult(Task) is { Implicit: false } && task != TaskKind.Auto)
        {
            throw new CliException("--task: applies to a --data CSV file; the embedded and IDX data sets have a fixed task.");
        }
        if (csv is null && sampleWeight is not null)
        {
            throw new CliException("--sample-weight: names a column of a --data CSV file; the embedded and IDX data sets have no weight column.");
        }
        if (csv is not null)
        {
            return CsvDataset.Load(csv, parse.GetValue(Target), task, cli.Input, raw: raw, sampleWeight: sampleWeight);
        }
        if (idx is { Length: 2 })
        {
            return EmbeddedDatasets.LoadIdx(idx[0], idx[1]);
        }
        return EmbeddedDatasets.Load((embedded ?? fallback).ToLowerInvariant());
    }
}
