using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Demos;
using FastMlp.Cli.Options;
using FastMlp.Cli.Plots;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp demo linear</c>: the lecture's y = b + m·x. Noisy points from a known line, a 1-1 network with an
/// identity output (exactly y = b + m·x), full-batch gradient descent on the MSE cost; m, b and the cost per epoch,
/// the closed-form least-squares answer beside it, and the cost surface with the paths of several learning rates.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext cli)
    {
        var demo = new Command("demo", "Lecture demos. Example: fastmlp demo linear");
        var m = new Option<double>("--m") { Description = "True slope.", DefaultValueFactory = _ => 2.5 };
        var b = new Option<double>("--b") { Description = "True intercept.", DefaultValueFactory = _ => -1.0 };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the Gaussian noise on y.", DefaultValueFactory = _ => 0.3 };
        var points = new Option<int>("--points") { Description = "Number of data points (x uniform in [0, 2]).", DefaultValueFactory = _ => 100 };
        var lr = new Option<double>("--lr") { Description = "Learning rate of the main fit.", DefaultValueFactory = _ => 0.3 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (each one full-batch step).", DefaultValueFactory = _ => 100 };
        var rates = new Option<string>("--rates") { Description = "Learning rates whose paths are drawn on the cost surface, e.g. 0.05,0.3,0.48 ('auto': tiny, good and too large for this data).", DefaultValueFactory = _ => "auto" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the data." };
        var output = new Option<string>("--out") { Description = "Output folder for the plots.", DefaultValueFactory = _ => "fastmlp-output" };
        var linear = new Command("linear", """
            Fit y = b + m·x to noisy data by full-batch gradient descent; print m, b and the cost per epoch beside the
            closed-form least-squares answer, and plot the data with the fitted line (demo-linear.png), the cost curve
            (demo-linear-cost.png) and the cost surface J(m, b) with the path of (m, b) for a tiny, a good and a too
            large learning rate (demo-linear-surface.png): crawling, converging, zig-zagging off.

            Examples:
              fastmlp demo linear
              fastmlp demo linear --rates 0.01,0.2,0.45,0.5 --epochs 60
              fastmlp demo linear --m 3 --b 1 --noise 1 --points 30
            """);
        foreach (Option o in new Option[] { m, b, noise, points, lr, epochs, rates, seed, output })
        {
            linear.Options.Add(o);
        }
        linear.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            double trueM = OptionParsing.InRange(parse.GetValue(m), "--m", -1e6, 1e6), trueB = OptionParsing.InRange(parse.GetValue(b), "--b", -1e6, 1e6);
            double sigma = OptionParsing.InRange(parse.GetValue(noise), "--noise", 0, 1e6);
            int n = OptionParsing.Positive(parse.GetValue(points), "--points");
            if (n < 2) throw new CliException("--points: need at least 2 points to fit a line.");
            if (n > 10_000_000) throw new CliException($"--points: at most 10,000,000, but was {n}.");
            double rate = OptionParsing.Positive(parse.GetValue(lr), "--lr");
            int epochCount = OptionParsing.Positive(parse.GetValue(epochs), "--epochs");
            if (epochCount > 1_000_000) throw new CliException($"--epochs: at most 1,000,000 for the demo, but was {epochCount}.");
            string rateText = parse.GetValue(rates)!;
            double[]? chosenRates = rateText.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : ParseRates(rateText);

            string folder = parse.GetValue(output)!;
            string fitPath = Path.Combine(folder, "demo-linear.png"), costPath = Path.Combine(folder, "demo-linear-cost.png");
            string surfacePath = Path.Combine(folder, "demo-linear-surface.png");
            using var outputs = new OutputFiles(cli.Cancellation);
            outputs.Plan("--out", fitPath, costPath, surfacePath);

            (double[] x, double[] y) = LinearDemo.Data(n, trueM, trueB, sigma, parse.GetValue(seed));
            (double lsM, double lsB) = LinearDemo.LeastSquares(x, y);
            double limit = LinearDemo.StabilityLimit(x);
            double[] pathRates = chosenRates ?? LinearDemo.AutoRates(limit);

            LinearDemo.Descent fit = LinearDemo.Run(x, y, rate, epochCount, cli.Cancellation);
            if (fit.Status == TrainingStatus.Cancelled)
            {
                throw Cancelled.NothingWritten(folder);
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("epoch", "m", "b", "cost J(m, b)");
            for (int e = 0; e < fit.Cost.Length; e++)
            {
                if (e < 10 || (e + 1) % 10 == 0 || e == fit.Cost.Length - 1)
                {
                    table.AddRow(F($"{e + 1}"), F($"{fit.M[e + 1]:G6}"), F($"{fit.B[e + 1]:G6}"), F($"{fit.Cost[e]:G5}"));
                }
            }
            if (fit.Diverged)
            {
                // Too large a rate: the steps overshoot further each epoch until the numbers overflow.
                console.Write(table);
                throw new CliException(F($"Gradient descent diverged within {fit.Cost.Length} epochs at learning rate {rate:G4} (stable below 2/λmax = {limit:G3} for this data); try a smaller --lr. Nothing was written to {folder}."),
                                       ExitCodes.CheckFailed);
            }
            var paths = new List<Charts.DescentPath>();
            var pathRows = new List<DemoPathJson>();
            var pathTable = new Table().Border(TableBorder.Simple).AddColumns("learning rate", "m", "b", "cost", "behaviour");
            foreach (double r in pathRates)
            {
                LinearDemo.Descent run = LinearDemo.Run(x, y, r, epochCount, cli.Cancellation);
                if (run.Status == TrainingStatus.Cancelled)
                {
                    throw Cancelled.NothingWritten(folder);
                }
                string behaviour = LinearDemo.Describe(run, (lsM, lsB), r, limit);
                paths.Add(new Charts.DescentPath(F($"lr {r:G3}: {behaviour}"), run.FiniteM, run.FiniteB));
                pathTable.AddRow(F($"{r:G4}"), F($"{run.M[^1]:G5}"), F($"{run.B[^1]:G5}"), F($"{(run.Cost.Length > 0 ? run.Cost[^1] : double.NaN):G5}"), behaviour);
                pathRows.Add(new DemoPathJson(r, run.M[^1], run.B[^1], behaviour));
            }

            double fm = fit.M[^1], fb = fit.B[^1];
            double gapM = Math.Abs(fm - lsM) / Math.Max(Math.Abs(lsM), 1e-12), gapB = Math.Abs(fb - lsB) / Math.Max(Math.Abs(lsB), 1e-12);
            console.Line(F($"Data: {n} points of y = {trueB} + {trueM}·x + N(0, {sigma}²), x in [0, 2]; full-batch gradient descent, learning rate {rate}"));
            console.Line("The cost J(m, b) = 1/N Σ (b + m·x − y)²; each epoch: m ← m − lr·∂J/∂m, b ← b − lr·∂J/∂b (every 10th epoch shown after the 10th)");
            console.Write(table);
            console.Line(F($"Least squares in closed form: m = {lsM:F4}, b = {lsB:F4}. Gradient descent is stable below lr = 2/λmax = {limit:G3} (λmax: largest eigenvalue of J's Hessian)."));
            console.Line("Paths on the cost surface (demo-linear-surface.png):");
            console.Write(pathTable);
            console.Essential(F($"fitted m = {fm:F4}, b = {fb:F4} (least squares {lsM:F4}, {lsB:F4}: within {Math.Max(gapM, gapB):P2}; true {trueM}, {trueB}), final cost {fit.Cost[^1]:G5}"));

            Charts.Save(Charts.BuildLinearFit(x, y, (fm, fb), (trueM, trueB), (lsM, lsB)), outputs.Reserve(fitPath));
            Charts.Save(Charts.BuildCost(fit.Cost, F($"Cost per epoch, learning rate {rate:G3} ({n} points, full batch)")), outputs.Reserve(costPath));
            Charts.Save(Charts.BuildCostSurface(x, y, (lsM, lsB), paths), outputs.Reserve(surfacePath));
            outputs.Commit();
            console.Line($"Wrote {fitPath}, {costPath}, {surfacePath}");
            console.JsonResult(new DemoJson(fm, fb, trueM, trueB, lsM, lsB, limit,
                [.. Enumerable.Range(0, fit.Cost.Length).Select(e => new DemoEpochJson(e + 1, fit.M[e + 1], fit.B[e + 1], fit.Cost[e]))],
                pathRows, [fitPath, costPath, surfacePath]));
            return ExitCodes.Ok;
        });
        demo.Subcommands.Add(linear);
        return demo;
    }

    private static double[] ParseRates(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && v <= 1e6 && double.IsFinite(v)
                ? v
                : throw new CliException($"--rates: '{t}' is not a learning rate (a finite number > 0 and at most 1e6), or write 'auto'."))];

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
