using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Options;
using FastMlp.Cli.Training;
using FastMlp.Verification;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp gradcheck</c>: backprop against five-point finite differences (library GradientCheck) on random data
/// for a given architecture and loss; exit code 3 when the relative error exceeds the tolerance.
/// </summary>
internal static class GradCheckCommand
{
    public static Command Create(CliContext cli)
    {
        var layers = new Option<string>("--layers") { Description = "All layer sizes, inputs first: e.g. 4,8,3.", DefaultValueFactory = _ => "5,8,6,3" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation.", DefaultValueFactory = _ => "tanh" };
        var loss = new Option<string>("--loss") { Description = "mse | mae | crossentropy | bce.", DefaultValueFactory = _ => "crossentropy" };
        var precision = new Option<string>("--precision") { Description = "double (tight) or float (checks float backprop against a double reference).", DefaultValueFactory = _ => "double" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 4, Description = "Rows of random data." };
        var tolerance = new Option<double?>("--tolerance") { Description = "Largest relative error that passes (default 1e-6 for double, 2e-2 for float)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7, Description = "Seed of weights and data (and of the sampled parameters)." };
        var all = new Option<bool>("--all") { Description = "Check every parameter (default: a seeded sample of up to 64 weights and 16 biases per layer, seconds for any size)." };
        var command = new Command("gradcheck", """
            Check backpropagation against finite differences on random data. Exit code 0 = pass, 3 = fail.
            By default a seeded sample of up to 64 weights and 16 biases per layer is checked (a backprop bug touches
            whole rows, columns or layers, so a sample catches it); --all checks every parameter.

            Examples:
              fastmlp gradcheck
              fastmlp gradcheck --layers 10,16,16,1 --activation relu --loss mse
              fastmlp gradcheck --layers 8,4,1 --loss bce --precision float
            """);
        foreach (Option o in new Option[] { layers, activation, loss, precision, batch, tolerance, seed, all })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            int[] sizes = OptionParsing.Layers(parse.GetValue(layers)!);
            if (sizes.Length < 2) throw new CliException("--layers: give at least the input and output sizes, e.g. 4,3.");
            MemoryBudget.Check(sizes, 1);
            Activation hidden = OptionParsing.Activation(parse.GetValue(activation)!);
            (Loss lossKind, Activation output) = parse.GetValue(loss)!.ToLowerInvariant() switch
            {
                "mse" => (Loss.MeanSquaredError, Activation.Identity),
                "mae" => (Loss.MeanAbsoluteError, Activation.Identity),
                "crossentropy" => (Loss.SoftmaxCrossEntropy, Activation.Softmax),
                "bce" => (Loss.BinaryCrossEntropy, Activation.Sigmoid),
                var other => throw new CliException($"--loss: unknown loss '{other}'; choose mse, mae, crossentropy or bce."),
            };
            int rows = OptionParsing.Positive(parse.GetValue(batch), "--batch-size");
            bool single = parse.GetValue(precision)!.ToLowerInvariant() switch
            {
                "double" => false,
                "float" => true,
                var other => throw new CliException($"--precision: '{other}' must be double or float."),
            };
            double tol = parse.GetValue(tolerance) is { } given ? OptionParsing.InRange(given, "--tolerance", 0, 1) : single ? 2e-2 : 1e-6;
            if (rows > 100_000) throw new CliException($"--batch-size: at most 100,000 rows of random data, but was {rows}.");
            int s = parse.GetValue(seed);
            bool everyParameter = parse.GetValue(all);
            GradientCheckResult result = WithProgress(console, cli.Cancellation, progress =>
            {
                var options = new GradientCheckOptions { Seed = s, CheckAll = everyParameter, Progress = progress };
                return single ? Run<float>(sizes, hidden, output, lossKind, rows, options) : Run<double>(sizes, hidden, output, lossKind, rows, options);
            });
            bool pass = result.MaxRelativeError <= tol;

            // One row per layer, then the whole network with its worst parameter.
            var table = new Table().Border(TableBorder.Simple).AddColumns("layer", "parameters checked (of)", "max abs error", "max rel error", "worst parameter", "result");
            foreach (LayerGradientError layer in result.Layers)
            {
                bool layerPass = layer.MaxRelativeError <= tol;
                table.AddRow(F($"{layer.Layer + 1} ({sizes[layer.Layer]}→{sizes[layer.Layer + 1]})"), F($"{layer.ParametersChecked:N0} ({layer.ParametersInLayer:N0})"), F($"{layer.MaxAbsoluteError:E2}"),
                             F($"{layer.MaxRelativeError:E2}"), result.Worst.Layer == layer.Layer ? Markup.Escape(result.Worst.ToString()) : "",
                             layerPass ? "[green]pass[/]" : "[red]FAIL[/]");
            }
            table.AddRow("all", F($"{result.ParametersChecked:N0} ({result.ParametersInModel:N0}; +{result.ParametersSkipped} at kinks)"), F($"{result.MaxAbsoluteError:E2}"),
                         F($"{result.MaxRelativeError:E2}"), Markup.Escape(result.Worst.ToString()), pass ? "[green]pass[/]" : "[red]FAIL[/]");
            console.Line($"{(single ? "float" : "double")} network {string.Join('-', sizes)}, {hidden} hidden, {output} output, loss {lossKind}, {rows} random rows; tolerance {F($"{tol:G3}")}; " +
                         (everyParameter ? "every parameter checked" : "a seeded sample of parameters per layer (--all checks every one)"));
            console.Write(table);
            console.Essential(pass ? F($"gradient check passed (max relative error {result.MaxRelativeError:E2})")
                                   : F($"gradient check FAILED: max relative error {result.MaxRelativeError:E2} > {tol:G3} at {result.Worst} (analytic {result.WorstAnalytic:G6}, numeric {result.WorstNumeric:G6})"));
            console.JsonResult(new GradCheckJson(
                pass, result.MaxAbsoluteError, result.MaxRelativeError, result.ParametersChecked, result.ParametersSkipped, Worst: result.Worst.ToString(), Tolerance: tol,
                Layers: [.. result.Layers.Select(l => new GradCheckLayerJson(l.Layer + 1, l.ParametersChecked, l.MaxAbsoluteError, l.MaxRelativeError, Pass: l.MaxRelativeError <= tol))]));
            return pass ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>Runs the check with a live progress bar on a terminal; SIGINT/SIGTERM stop it between parameters.</summary>
    private static GradientCheckResult WithProgress(CliOutput console, CancellationToken cancellation, Func<IProgress<GradientCheckProgress>, GradientCheckResult> check)
    {
        if (!console.CanShowProgress)
        {
            return check(new SynchronousProgress<GradientCheckProgress>(_ => cancellation.ThrowIfCancellationRequested()));
        }
        GradientCheckResult? result = null;
        console.Console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("gradient check");
                result = check(new SynchronousProgress<GradientCheckProgress>(p =>
                {
                    cancellation.ThrowIfCancellationRequested();
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    task.Description = F($"layer {p.Layer + 1}: {p.Done:N0}/{p.Total:N0} parameters");
                }));
            });
        return result!;
    }

    private static GradientCheckResult Run<T>(int[] sizes, Activation hidden, Activation output, Loss loss, int rows, GradientCheckOptions options)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(sizes, hidden, output, options.Seed);
        var random = new Random(options.Seed);
        int inputs = sizes[0], outputs = sizes[^1];
        var x = new T[rows * inputs];
        var y = new T[rows * outputs];
        for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(random.NextDouble() * 2 - 1);
        for (int r = 0; r < rows; r++)
        {
            if (loss == Loss.SoftmaxCrossEntropy)
            {
                y[r * outputs + random.Next(outputs)] = T.One;
            }
            else
            {
                for (int k = 0; k < outputs; k++)
                {
                    y[r * outputs + k] = T.CreateTruncating(loss == Loss.BinaryCrossEntropy ? random.Next(2) : random.NextDouble() * 2 - 1);
                }
            }
        }
        return GradientCheck.Run(model, loss, x, y, rows, options);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
