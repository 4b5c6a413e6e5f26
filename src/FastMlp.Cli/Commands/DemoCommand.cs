using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Plots;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp demo linear</c>: the lecture's y = b + m·x. Noisy points from a known line, a 1-1 network with an
/// identity output (exactly y = b + m·x), full-batch gradient descent on the MSE cost; m, b and the cost per epoch.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext cli)
    {
        var demo = new Command("demo", "Lecture demos. Example: fastmlp demo linear");
        var m = new Option<double>("--m") { Description = "True slope.", DefaultValueFactory = _ => 2.5 };
        var b = new Option<double>("--b") { Description = "True intercept.", DefaultValueFactory = _ => -1.0 };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the Gaussian noise on y.", DefaultValueFactory = _ => 0.3 };
        var points = new Option<int>("--points") { Description = "Number of data points.", DefaultValueFactory = _ => 100 };
        var lr = new Option<double>("--lr") { Description = "Learning rate of gradient descent.", DefaultValueFactory = _ => 0.1 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (each one full-batch step).", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the data." };
        var output = new Option<string>("--out") { Description = "Output folder for the plots.", DefaultValueFactory = _ => "fastmlp-output" };
        var linear = new Command("linear", """
            Fit y = b + m·x to noisy data by full-batch gradient descent; print m, b and the cost per epoch and plot
            the data with the fitted line (demo-linear.png) and the cost curve (demo-linear-cost.png).

            Examples:
              fastmlp demo linear
              fastmlp demo linear --m 3 --b 1 --lr 0.5 --epochs 30     # too large a rate: watch it oscillate
            """);
        foreach (Option o in new Option[] { m, b, noise, points, lr, epochs, seed, output })
        {
            linear.Options.Add(o);
        }
        linear.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            double trueM = parse.GetValue(m), trueB = parse.GetValue(b), sigma = parse.GetValue(noise);
            int n = OptionParsing.Positive(parse.GetValue(points), "--points");
            double rate = OptionParsing.Positive(parse.GetValue(lr), "--lr");
            int epochCount = OptionParsing.Positive(parse.GetValue(epochs), "--epochs");
            if (n < 2) throw new CliException("--points: need at least 2 points to fit a line.");
            if (!(sigma >= 0)) throw new CliException("--noise: must be ≥ 0.");

            var random = new Random(parse.GetValue(seed));
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = random.NextDouble() * 2;
                double gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                y[i] = trueB + trueM * x[i] + sigma * gauss;
            }
            var data = Dataset<double>.ForRegression(x, y, 1);
            var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, seed: 0);
            model.SetWeights(0, [0.0]);
            model.SetBiases(0, [0.0]);
            var options = new TrainerOptions<double>
            {
                Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd(rate), BatchSize = n, Epochs = epochCount, Shuffle = false, DivergenceFactor = double.PositiveInfinity,
            };
            var table = new Table().Border(TableBorder.Simple).AddColumns("epoch", "m", "b", "cost (MSE)");
            var cost = new List<double>();
            var rows = new List<DemoEpochJson>();
            using (var trainer = new Trainer<double>(model, options))
            {
                TrainingHistory history = trainer.Fit(data, null, new SynchronousProgress<EpochReport>(r =>
                {
                    double mi = model.GetWeights(0)[0], bi = model.GetBiases(0)[0];
                    double c = MeanSquaredError(x, y, mi, bi);
                    cost.Add(c);
                    rows.Add(new DemoEpochJson(r.Epoch + 1, mi, bi, c));
                    if (r.Epoch < 10 || (r.Epoch + 1) % 10 == 0 || r.Epoch == epochCount - 1)
                    {
                        table.AddRow(F($"{r.Epoch + 1}"), F($"{mi:F4}"), F($"{bi:F4}"), F($"{c:G5}"));
                    }
                }));
                if (history.Status == TrainingStatus.Diverged)
                {
                    console.Essential(history.Message);
                }
            }
            double fm = model.GetWeights(0)[0], fb = model.GetBiases(0)[0];
            console.Line(F($"Data: {n} points of y = {trueB} + {trueM}·x + N(0, {sigma}²), x in [0, 2]; full-batch gradient descent, learning rate {rate}"));
            console.Line("The cost J(m, b) = 1/N Σ (b + m·x − y)²; each epoch: m ← m − lr·∂J/∂m, b ← b − lr·∂J/∂b (every 10th epoch shown after the 10th)");
            console.Write(table);
            string folder = parse.GetValue(output)!;
            string fitPlot = Charts.LinearFit(Path.Combine(folder, "demo-linear.png"), x, y, fm, fb, trueM, trueB);
            string costPlot = Charts.Cost(Path.Combine(folder, "demo-linear-cost.png"), [.. cost], "Cost per epoch (full-batch gradient descent)");
            console.Essential(F($"fitted m = {fm:F4} (true {trueM}), b = {fb:F4} (true {trueB}), final cost {cost[^1]:G5}"));
            console.Line($"Wrote {fitPlot}, {costPlot}");
            console.JsonResult(new DemoJson(fm, fb, trueM, trueB, rows, [fitPlot, costPlot]));
            return ExitCodes.Ok;
        });
        demo.Subcommands.Add(linear);
        return demo;
    }

    private static double MeanSquaredError(double[] x, double[] y, double m, double b)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = b + m * x[i] - y[i];
            sum += d * d;
        }
        return sum / x.Length;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
