using System.CommandLine;
using System.Diagnostics;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;
using FastMlp.Cli.Training;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp train</c>: load (default: embedded MNIST 10k), split, standardize, train with early stopping, report
/// per epoch, evaluate on the test part, and write model.fastmlp, history.csv and loss.png to the output folder.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new DataOptions();
        var columns = new SchemaOptions();
        var fit = new FitOptions();
        var split = new Option<string>("--split") { Description = "train/validation[/test] percentages, e.g. 80/20 or 60/20/20.", DefaultValueFactory = _ => "60/20/20" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Save a resumable checkpoint every N epochs into <out>/checkpoint (0 = never).", DefaultValueFactory = _ => 0 };
        var resume = new Option<string?>("--resume") { Description = "Continue the run checkpointed in this folder (its recorded options and data are reused; the result is bit-identical to an uninterrupted run)." };
        var output = new Option<string>("--out") { Description = "Output folder for model.fastmlp, history.csv and loss.png (written only when training succeeds).", DefaultValueFactory = _ => "fastmlp-output" };
        Option<double?> threshold = ThresholdOption.Create("Decision threshold of a binary classifier, stored in the model (default 0.5); evaluate and predict use it.");
        var sampleWeight = new Option<string?>("--sample-weight") { Description = "CSV column holding each row's weight in the training loss (a number ≥ 0; not a feature). Validation metrics are unweighted." };
        var saveOnCancel = new Option<bool>("--save-on-cancel") { Description = "On Ctrl-C or SIGTERM, still write the outputs with the best model so far (default: write nothing)." };

        var command = new Command("train", """
            Train an MLP. With no options: the embedded MNIST 10k set, 784-128-10, 60/20/20 split, SGD with momentum,
            early stopping; writes model.fastmlp, history.csv and loss.png to ./fastmlp-output.

            Examples:
              fastmlp train
              fastmlp train --dataset digits --layers 64,32 --optimizer adam
              fastmlp train --data houses.csv --target price --task regression --schedule cosine --epochs 100
              fastmlp train --data credit.csv --target default --categorical grade --impute median --min-category-count 10
              fastmlp train --data-idx train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz --out mnist60k
              fastmlp train --dataset diabetes --batch-size full --optimizer sgd --lr 0.1 --split 80/20
              fastmlp train --data loans.csv --target default --class-weight balanced --dropout 0.2
              fastmlp train --data visits.csv --target spend --sample-weight weight
              fastmlp train --data flats.csv --target price,rent
              fastmlp train --epochs 100 --checkpoint-every 5 --out run1      # then, after a crash:
              fastmlp train --resume run1/checkpoint
            """);
        data.AddTo(command);
        columns.AddTo(command);
        fit.AddTo(command);
        foreach (Option o in new Option[] { split, sampleWeight, checkpointEvery, resume, output, threshold, saveOnCancel })
        {
            command.Options.Add(o);
        }
        command.SetAction(given =>
        {
            CliOutput console = cli.OutputFor(given);
            var stopwatch = Stopwatch.StartNew();
            // --resume replays the options recorded with the checkpoint (so the data, split and seed match).
            string? resumeDirectory = given.GetValue(resume);
            if (resumeDirectory is not null)
            {
                RefuseReplayedOptions(given, command);
            }
            ParseResult parse = resumeDirectory is null ? given : command.Parse(RecordedArguments(resumeDirectory));
            string[] arguments = given.Tokens.Select(t => t.Value).ToArray();
            // Validate every option before loading data, so mistakes fail fast. On --resume an explicit --epochs extends
            // (or shortens) the recorded run; everything else is replayed.
            FitSettings settings = fit.Parse(parse, resumeDirectory is not null && given.GetResult(fit.Epochs) is { Implicit: false } ? given.GetValue(fit.Epochs) : null);
            double[] fractions = OptionParsing.Split(parse.GetValue(split)!);
            ThresholdOption.CheckRange(parse.GetValue(threshold));

            // Every output must be writable before any work starts; they are written together only if training succeeds.
            string outputFolder = parse.GetValue(output)!;
            using var outputs = new OutputFiles(cli.Cancellation);
            (string modelPath, string historyPath, string plotPath) = TrainingRun.OutputPaths(outputFolder);
            outputs.Plan("--out", modelPath, historyPath, plotPath, TrainingRun.ConfusionPath(outputFolder), TrainingRun.DivergedPlotPath(outputFolder));

            TabularSchemaOptions tabular = columns.Parse(parse, csv: parse.GetValue(data.Data) is not null);
            TabularData table = data.Load(parse, cli, "mnist", raw: true, sampleWeight: parse.GetValue(sampleWeight));
            if (table.Raw is not null)
            {
                TabularEncoding.CheckCells(table, tabular);
            }
            Optimizer opt = settings.OptimizerFor(table);
            var setup = new TrainingSetup
            {
                Hidden = settings.Hidden,
                HiddenActivation = settings.HiddenActivation,
                LossName = settings.LossName,
                Optimizer = opt,
                Schedule = settings.Schedule,
                Epochs = settings.Epochs,
                BatchSize = settings.BatchSize,
                Fractions = fractions,
                Patience = settings.Patience,
                Seed = settings.Seed,
                Standardize = !table.IsScaled,
                Threads = settings.Threads,
                CheckpointEvery = parse.GetValue(checkpointEvery) >= 0 ? parse.GetValue(checkpointEvery)
                    : throw new CliException($"--checkpoint-every: must be ≥ 0 (0 = never), but was {parse.GetValue(checkpointEvery)}."),
                CheckpointDirectory = resumeDirectory ?? Path.Combine(parse.GetValue(output)!, "checkpoint"),
                ResumeDirectory = resumeDirectory,
                SaveOnCancel = given.GetValue(saveOnCancel),
                Dropout = settings.Dropout,
                ClassWeights = settings.ClassWeights,
                Monitor = settings.Monitor,
                Threshold = parse.GetValue(threshold),
                Tabular = table.Raw is null ? null : tabular,
            };
            if (resumeDirectory is null && setup.CheckpointEvery > 0)
            {
                RecordArguments(setup.CheckpointDirectory!, arguments);
            }
            return TrainingRun.Execute(console, table, setup, outputFolder, outputs, stopwatch, cli.Cancellation);
        });
        return command;
    }

    private const string ArgumentsFile = "arguments.json";

    /// <summary>Options that may accompany --resume; every other one is replayed from the checkpoint.</summary>
    private static readonly string[] ResumeOptions = ["--resume", "--epochs", "--threads", "--save-on-cancel", "--quiet", "--json"];

    /// <summary>--resume replays the recorded command line: a new --data (or any other changed option) would be ignored, so refuse it.</summary>
    private static void RefuseReplayedOptions(ParseResult given, Command command)
    {
        foreach (Option option in command.Options)
        {
            if (given.GetResult(option) is { Implicit: false } && !ResumeOptions.Contains(option.Name))
            {
                throw new CliException($"{option.Name}: cannot be changed with --resume, which replays the options recorded with the checkpoint " +
                                       $"(only {string.Join(", ", ResumeOptions.Skip(1))} may be given); start a new run to change it.");
            }
        }
    }

    /// <summary>Keeps the command line beside the checkpoint so that --resume can rebuild the same run.</summary>
    private static void RecordArguments(string directory, string[] arguments)
    {
        using var files = new FastMlp.Serialization.StagedFiles { CreateDirectories = true };
        files.Write(Path.Combine(directory, ArgumentsFile), stream => System.Text.Json.JsonSerializer.Serialize(stream, arguments, CliJsonContext.Default.StringArray));
        files.Commit();
    }

    private static string[] RecordedArguments(string directory)
    {
        string path = Path.Combine(directory, ArgumentsFile);
        if (!File.Exists(path))
        {
            throw new CliException($"--resume: {path} not found; resume from a folder written by 'fastmlp train --checkpoint-every N' (<out>/checkpoint).");
        }
        try
        {
            string[] recorded = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.StringArray) ?? [];
            return [.. recorded.Where(a => a != "train")];
        }
        catch (System.Text.Json.JsonException)
        {
            throw new CliException($"--resume: {path} is not a recorded FastMlp command line.");
        }
    }
}
