using System.CommandLine;
using System.Runtime.InteropServices;
using FastMlp.Cli.Commands;

namespace FastMlp.Cli;

/// <summary>The <c>fastmlp</c> tool: train, evaluate, predict, demos, checks and a quick benchmark.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // SIGINT (Ctrl-C) and SIGTERM stop a run at the next batch, so that it can clean up and keep every existing
        // file; a second signal ends the process at once.
        using var cancellation = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            if (!cancellation.IsCancellationRequested)
            {
                context.Cancel = true;
                Console.Error.WriteLine($"{context.Signal}: stopping at the next batch (send it again to stop at once).");
                cancellation.Cancel();
            }
        }
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return Run(args, Console.Out, Console.Error, Console.In, cancellation.Token);
    }

    /// <summary>
    /// Runs a command line in-process and returns the exit code (0 = success, 1 = bad input, 2 = bad command line,
    /// 3 = a check failed). Errors are one line on <paramref name="error"/>, never a stack trace.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader? input = null, CancellationToken cancellation = default)
    {
        var cli = new CliContext(output, error, input ?? TextReader.Null, cancellation);
        RootCommand root = BuildRoot(cli);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string help = $"see 'fastmlp {CommandPath(parse)}--help'";
            error.WriteLine($"error: {CommandLineHints.Describe(parse) ?? parse.Errors[0].Message} ({help})");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            error.WriteLine("cancelled; nothing was written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            error.WriteLine($"error: {message}");
            return e is CliException c ? c.ExitCode : ExitCodes.BadInput;
        }
    }

    internal static RootCommand BuildRoot(CliContext cli)
    {
        var root = new RootCommand("""
            fastmlp — train and run multilayer perceptrons on the CPU, fast.

            Examples:
              fastmlp train                                      # MNIST 10k, 784-128-10, in a few seconds
              fastmlp train --data my.csv --target price --layers 64,32
              fastmlp predict --model fastmlp-output/model.fastmlp --data new.csv
              fastmlp quantize --model fastmlp-output/model.fastmlp --out model-int8.fastmlp
              fastmlp import --safetensors state.safetensors --activation relu --output softmax --out m.fastmlp
              fastmlp demo linear                                # the cost surface and gradient descent on it
              fastmlp bench

            Exit codes: 0 success, 1 bad input, 2 bad command line, 3 a check failed or training diverged,
            130 stopped by Ctrl-C/SIGTERM (nothing written).
            """);
        root.Options.Add(cli.Quiet);
        root.Options.Add(cli.Json);
        root.Subcommands.Add(TrainCommand.Create(cli));
        root.Subcommands.Add(EvaluateCommand.Create(cli));
        root.Subcommands.Add(PredictCommand.Create(cli));
        root.Subcommands.Add(ExportCommand.Create(cli));
        root.Subcommands.Add(QuantizeCommand.Create(cli));
        root.Subcommands.Add(ImportanceCommand.Create(cli));
        root.Subcommands.Add(CrossValidateCommand.Create(cli));
        root.Subcommands.Add(ImportCommand.Create(cli));
        root.Subcommands.Add(DemoCommand.Create(cli));
        root.Subcommands.Add(LrSweepCommand.Create(cli));
        root.Subcommands.Add(LrFindCommand.Create(cli));
        root.Subcommands.Add(GradCheckCommand.Create(cli));
        root.Subcommands.Add(BenchCommand.Create(cli));
        return root;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name + " ");
        }
        return string.Concat(names);
    }

    internal static DllNotFoundException? MissingNativeLibrary(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DllNotFoundException missing)
            {
                return missing;
            }
        }
        return null;
    }

    /// <summary>Why a plot could not be drawn (the NativeAOT binary without SkiaSharp's native library beside it).</summary>
    internal static string MissingPlotLibrary(DllNotFoundException missing, string consequence) =>
        $"drawing a plot needs SkiaSharp's native library, which did not load ({missing.Message.Split('.')[0].Trim()}); "
        + $"keep libSkiaSharp and libHarfBuzzSharp beside the fastmlp binary; {consequence}.";

    /// <summary>The one-line message for errors the user can fix; null for bugs (which keep their stack trace).</summary>
    private static string? Describe(Exception e) => e switch
    {
        CliException => e.Message,
        _ when MissingNativeLibrary(e) is { } missing => MissingPlotLibrary(missing, "nothing was written"),
        FileNotFoundException f => $"{f.FileName ?? "file"}: file not found.",
        DirectoryNotFoundException or UnauthorizedAccessException or IOException => e.Message,
        InvalidDataException => e.Message,
        // The library names its parameters; a user typed options, so the "(Parameter 'x')" suffix only confuses.
        ArgumentException a when a.ParamName is not null => ErrorText.WithoutParameter(a),
        ArgumentException or InvalidOperationException or NotSupportedException => e.Message,
        _ => null,
    };
}

/// <summary>What every command shares: the writers and the global --quiet/--json options.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TextReader input, CancellationToken cancellation = default)
{
    /// <summary>Signalled by SIGINT/SIGTERM: long commands stop at the next batch and write nothing.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    public TextWriter OutputWriter { get; } = output;
    public TextWriter ErrorWriter { get; } = error;
    public TextReader Input { get; } = input;

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only the essential result lines.", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document with the results (for scripts).", Recursive = true };

    public CliOutput OutputFor(ParseResult parse) =>
        new(OutputWriter, ErrorWriter, parse.GetValue(Quiet), parse.GetValue(Json));
}
