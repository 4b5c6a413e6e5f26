using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;
using FastMlp.Cli.Plots;
using FastMlp.Cli.Training;

namespace FastMlp.Cli.Commands;

/// <summary><c>fastmlp lr-find</c>: the learning-rate range test (rate grown exponentially per step), its plot and suggestion.</summary>
internal static class LrFindCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new DataOptions();
        var layers = new Option<string>("--layers") { Description = "Hidden layer sizes.", DefaultValueFactory = _ => "128" };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd | momentum | nesterov | adam | adamw.", DefaultValueFactory = _ => "momentum" };
        var min = new Option<double>("--min-lr") { DefaultValueFactory = _ => 1e-5, Description = "Smallest rate tried." };
        var max = new Option<double>("--max-lr") { DefaultValueFactory = _ => 10, Description = "Largest rate tried." };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 150, Description = "Mini-batch steps (one rate each)." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64, Description = "Mini-batch size." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42, Description = "Seed of the weights and batches." };
        var output = new Option<string>("--out") { Description = "Output folder for lr-find.png.", DefaultValueFactory = _ => "fastmlp-output" };
        var command = new Command("lr-find", """
            Learning-rate range test (Smith 2015, fastai's lr_find): one mini-batch step per rate, rates growing
            exponentially from --min-lr to --max-lr, stopping when the loss blows up; suggests the rate where the
            smoothed loss falls fastest and plots loss against rate (lr-find.png).

            Examples:
              fastmlp lr-find
              fastmlp lr-find --dataset digits --optimizer adam --min-lr 1e-6 --max-lr 1
            """);
        data.AddTo(command);
        foreach (Option o in new Option[] { layers, optimizer, min, max, steps, batch, seed, output })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            int[] hidden = OptionParsing.Layers(parse.GetValue(layers)!);
            double lo = OptionParsing.Positive(parse.GetValue(min), "--min-lr"), hi = OptionParsing.Positive(parse.GetValue(max), "--max-lr");
            OptionParsing.InRange(hi, "--max-lr", 0, 1e6);
            if (hi <= lo) throw new CliException(F($"--max-lr: must be larger than --min-lr ({lo}), but was {hi}."));
            int stepCount = OptionParsing.Positive(parse.GetValue(steps), "--steps");
            if (stepCount > 100_000) throw new CliException($"--steps: at most 100,000, but was {stepCount}.");
            int batchSize = OptionParsing.Positive(parse.GetValue(batch), "--batch-size");
            Optimizer opt = OptionParsing.Optimizer(parse.GetValue(optimizer)!, lo, 0.9, 0);
            string plotPath = Path.Combine(parse.GetValue(output)!, "lr-find.png");
            using var outputs = new OutputFiles(cli.Cancellation);
            outputs.Plan("--out", plotPath);
            TabularData table = data.Load(parse, cli, "mnist");
            Dataset<float> set = table.Dataset;
            bool classification = set.IsClassification;
            int[] sizes = [set.FeatureCount, .. hidden, classification ? set.ClassCount : set.TargetCount];
            MemoryBudget.Check(sizes, batchSize);
            var model = new Mlp<float>(sizes, Activation.ReLU, classification ? Activation.Softmax : Activation.Identity, parse.GetValue(seed));
            var options = new TrainerOptions<float>
            {
                Loss = classification ? Loss.SoftmaxCrossEntropy : Loss.MeanSquaredError,
                Optimizer = opt,
                BatchSize = batchSize,
                Seed = parse.GetValue(seed),
                Standardize = !table.IsScaled,
            };
            LearningRateFinderResult result = LearningRateFinder.Run(model, options, set, lo, hi, Math.Max(stepCount, 2));
            if (cli.Cancellation.IsCancellationRequested)
            {
                throw Cancelled.NothingWritten(plotPath);
            }
            Charts.Save(Charts.BuildLearningRateFinder(result.Rates, result.Losses, result.SmoothedLosses, result.SuggestedRate,
                                                        $"{table.Source}: {string.Join('-', sizes)}, {opt.Kind}, batch {batchSize}"), outputs.Reserve(plotPath));
            outputs.Commit();
            string plot = plotPath;
            console.Line($"{table.Source}: {string.Join('-', sizes)}, {opt.Kind} optimizer, batch {batchSize}; {result.Rates.Count} steps from {F($"{lo:G3}")} to {F($"{result.Rates[^1]:G3}")}");
            console.Essential(F($"suggested learning rate: {result.SuggestedRate:G3}"));
            console.Line($"Wrote {plot}");
            console.JsonResult(new LrFindJson(result.SuggestedRate, result.Rates, result.Losses, result.SmoothedLosses, plot));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
