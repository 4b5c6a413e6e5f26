using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;
using FastMlp.Cli.Plots;
using FastMlp.Cli.Training;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp lr-sweep</c>: the same model and data trained at a tiny, a good, a too-large and a divergent learning
/// rate plus an adaptive schedule; final losses, divergence marked, all curves in one log-scale PNG.
/// </summary>
internal static class LrSweepCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new DataOptions();
        var rates = new Option<string>("--rates") { Description = "Comma-separated constant learning rates to compare.", DefaultValueFactory = _ => "0.0005,0.05,1.5,20" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 20 };
        var layers = new Option<string>("--layers") { Description = "Hidden layer sizes.", DefaultValueFactory = _ => "32" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42, Description = "Seed of the weights and shuffling." };
        var output = new Option<string>("--out") { Description = "Output folder for lr-sweep.png.", DefaultValueFactory = _ => "fastmlp-output" };
        var command = new Command("lr-sweep", """
            Train the same model at several learning rates (tiny, good, too large, divergent) and with an adaptive
            schedule (rate ÷5 when the loss stops improving); print the final losses and plot all loss curves (log scale).
            Plain SGD with batch 32 on the embedded digits set unless data is given.

            Examples:
              fastmlp lr-sweep
              fastmlp lr-sweep --rates 0.001,0.01,0.1,1 --epochs 30 --dataset digits
            """);
        data.AddTo(command);
        foreach (Option o in new Option[] { rates, epochs, layers, seed, output })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            double[] values = [.. parse.GetValue(rates)!.Split(',', StringSplitOptions.TrimEntries).Select(ParseRate)];
            int epochCount = OptionParsing.Positive(parse.GetValue(epochs), "--epochs");
            int[] hidden = OptionParsing.Layers(parse.GetValue(layers)!);
            string plotPath = Path.Combine(parse.GetValue(output)!, "lr-sweep.png");
            using var outputs = new OutputFiles(cli.Cancellation);
            outputs.Plan("--out", plotPath);
            TabularData table = data.Load(parse, cli, "digits");
            Dataset<float> set = table.Dataset;
            bool classification = set.IsClassification;
            int[] sizes = [set.FeatureCount, .. hidden, classification ? set.ClassCount : set.TargetCount];
            MemoryBudget.Check(sizes, 32);
            var runs = new List<(string Label, double Rate, LearningRateSchedule? Schedule)>();
            string[] kinds = ["tiny", "good", "too large", "divergent"];
            for (int i = 0; i < values.Length; i++)
            {
                string kind = values.Length == 4 ? kinds[i] : "";
                runs.Add((F($"lr {values[i]:G3}{(kind.Length > 0 ? $" ({kind})" : "")}"), values[i], null));
            }
            double adaptiveStart = values.Length == 4 ? values[2] : values.Max();
            runs.Add((F($"adaptive from {adaptiveStart:G3}"), adaptiveStart, LearningRateSchedule.Adaptive()));

            var curves = new List<(string, double[], bool)>();
            var result = new Table().Border(TableBorder.Simple).AddColumns("run", "epochs", "final train loss", "status");
            var json = new List<LrSweepRunJson>();
            foreach ((string label, double rate, LearningRateSchedule? schedule) in runs)
            {
                var model = new Mlp<float>(sizes, Activation.ReLU, classification ? Activation.Softmax : Activation.Identity, parse.GetValue(seed));
                var options = new TrainerOptions<float>
                {
                    Loss = classification ? Loss.SoftmaxCrossEntropy : Loss.MeanSquaredError,
                    Optimizer = Optimizer.Sgd(rate),
                    Schedule = schedule,
                    BatchSize = 32,
                    Epochs = epochCount,
                    Seed = parse.GetValue(seed),
                    Standardize = !table.IsScaled,
                };
                TrainingHistory history;
                using (var trainer = new Trainer<float>(model, options))
                {
                    history = trainer.Fit(set, null, null, cli.Cancellation);
                }
                if (history.Status == TrainingStatus.Cancelled)
                {
                    throw Cancelled.NothingWritten(plotPath);
                }
                bool diverged = history.Status == TrainingStatus.Diverged;
                double[] losses = history.TrainLoss.ToArray();
                if (diverged)
                {
                    losses = [.. losses, history.DivergedLoss]; // the blow-up itself, when finite, shows on the plot
                }
                double final = history.EpochCount > 0 ? history.TrainLoss[^1] : double.NaN;
                curves.Add((label, losses, diverged));
                result.AddRow(label, F($"{history.EpochCount}"), F($"{final:G4}"), diverged ? F($"[red]DIVERGED[/] in epoch {history.DivergedEpoch + 1}") : "ok");
                json.Add(new LrSweepRunJson(label, rate, history.EpochCount, final, diverged));
            }
            console.Line(F($"{table.Source}: {string.Join('-', sizes)}, plain SGD, batch 32, {epochCount} epochs per run"));
            console.Write(result);
            Charts.Save(Charts.BuildLossCurves(curves, $"Training loss by learning rate: {table.Source}, {string.Join('-', sizes)}, plain SGD"), outputs.Reserve(plotPath));
            outputs.Commit();
            string plot = plotPath;
            console.Essential($"Wrote {plot}");
            console.JsonResult(new LrSweepJson(json, plot));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static double ParseRate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v
            : throw new CliException($"--rates: '{text}' is not a learning rate (a finite number > 0).");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
