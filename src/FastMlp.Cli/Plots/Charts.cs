using System.Globalization;
using ScottPlot;

namespace FastMlp.Cli.Plots;

/// <summary>The PNG plots of the CLI (ScottPlot 5). Each method writes one file and returns its path.</summary>
internal static class Charts
{
    private const int Width = 900, Height = 540;

    /// <summary>Train vs validation loss per epoch, with the early-stopping (best) epoch marked.</summary>
    public static string Loss(string path, ReadOnlySpan<double> train, ReadOnlySpan<double> validation, int bestEpoch, string title)
    {
        var plot = new Plot();
        double[] epochs = Epochs(train.Length);
        var t = plot.Add.Scatter(epochs, train.ToArray());
        t.LegendText = "train loss";
        t.MarkerSize = 4;
        if (validation.Length > 0 && double.IsFinite(validation[0]))
        {
            var v = plot.Add.Scatter(epochs, validation.ToArray());
            v.LegendText = "validation loss";
            v.MarkerSize = 4;
        }
        if (bestEpoch >= 0)
        {
            var line = plot.Add.VerticalLine(bestEpoch + 1);
            line.LegendText = $"best epoch {bestEpoch + 1} (weights kept)";
            line.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, path);
    }

    /// <summary>Several loss curves on a log-scaled loss axis; diverged curves end with a marker.</summary>
    public static string LossCurves(string path, IReadOnlyList<(string Label, double[] Losses, bool Diverged)> curves, string title)
    {
        var plot = new Plot();
        foreach ((string label, double[] losses, bool diverged) in curves)
        {
            double[] finite = [.. losses.Where(double.IsFinite).Select(l => Math.Log10(Math.Max(l, 1e-12)))];
            if (finite.Length == 0)
            {
                continue;
            }
            var s = plot.Add.Scatter(Epochs(finite.Length), finite);
            s.LegendText = diverged ? label + " (diverged)" : label;
            s.MarkerSize = 3;
            if (diverged)
            {
                var m = plot.Add.Marker(finite.Length, finite[^1], MarkerShape.Eks, 14);
                m.Color = s.Color;
            }
        }
        LogAxis(plot.Axes.Left);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("training loss (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, path);
    }

    /// <summary>The LR range test: loss against learning rate (log x), suggested rate marked.</summary>
    public static string LearningRateFinder(string path, IReadOnlyList<double> rates, IReadOnlyList<double> losses, IReadOnlyList<double> smoothed, double suggested)
    {
        var plot = new Plot();
        double[] x = [.. rates.Select(Math.Log10)];
        var raw = plot.Add.Scatter(x, losses.ToArray());
        raw.LegendText = "batch loss";
        raw.MarkerSize = 2;
        raw.LineWidth = 0.5f;
        var s = plot.Add.Scatter(x, smoothed.ToArray());
        s.LegendText = "smoothed";
        s.MarkerSize = 0;
        s.LineWidth = 2;
        if (double.IsFinite(suggested))
        {
            var line = plot.Add.VerticalLine(Math.Log10(suggested));
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"suggested {suggested:G3}");
            line.LinePattern = LinePattern.Dashed;
        }
        LogAxis(plot.Axes.Bottom);
        plot.Title("Learning-rate range test");
        plot.XLabel("learning rate (log scale)");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, path);
    }

    /// <summary>Data points with the fitted line y = b + m·x (and the true line).</summary>
    public static string LinearFit(string path, double[] x, double[] y, double m, double b, double trueM, double trueB)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(x, y);
        points.LegendText = "data";
        double lo = x.Min(), hi = x.Max();
        var fit = plot.Add.Line(lo, b + m * lo, hi, b + m * hi);
        fit.LegendText = string.Create(CultureInfo.InvariantCulture, $"fitted y = {b:F3} + {m:F3}·x");
        fit.LineWidth = 2;
        var truth = plot.Add.Line(lo, trueB + trueM * lo, hi, trueB + trueM * hi);
        truth.LegendText = string.Create(CultureInfo.InvariantCulture, $"true y = {trueB:F3} + {trueM:F3}·x");
        truth.LinePattern = LinePattern.Dashed;
        plot.Title("Linear regression by gradient descent");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, path);
    }

    /// <summary>A single cost curve per epoch.</summary>
    public static string Cost(string path, double[] cost, string title)
    {
        var plot = new Plot();
        var s = plot.Add.Scatter(Epochs(cost.Length), cost);
        s.LegendText = "cost (MSE)";
        s.MarkerSize = 3;
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("cost");
        return Save(plot, path);
    }

    private static void LogAxis(ScottPlot.IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
        };
    }

    private static double[] Epochs(int count) => [.. Enumerable.Range(1, count).Select(i => (double)i)];

    private static string Save(Plot plot, string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        plot.SavePng(path, Width, Height);
        return path;
    }
}
