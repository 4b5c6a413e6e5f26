using System.Globalization;
using ScottPlot;

namespace FastMlp.Cli.Plots;

/// <summary>
/// The PNG plots of the CLI (ScottPlot 5). Each <c>Build…</c> method returns the plot, so tests can check its series
/// and axis limits; <see cref="Save"/> renders one to a file. Same data → same plot: nothing random, no clock.
/// </summary>
internal static partial class Charts
{
    public const int Width = 900, Height = 540;

    /// <summary>
    /// Train and validation loss per epoch (left axis) and the validation metric — accuracy or R² — on the right
    /// axis, with the early-stopping (best) epoch marked; epochs are whole numbers.
    /// </summary>
    public static Plot BuildLoss(ReadOnlySpan<double> train, ReadOnlySpan<double> validation, ReadOnlySpan<double> metric, string metricName,
                                 int bestEpoch, string title, int divergedEpoch = -1)
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
        if (metric.Length > 0 && double.IsFinite(metric[0]))
        {
            var m = plot.Add.Scatter(epochs, metric.ToArray());
            m.LegendText = $"validation {metricName} (right axis)";
            m.MarkerSize = 4;
            m.LinePattern = LinePattern.Dotted;
            m.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "validation " + metricName;
        }
        if (bestEpoch >= 0)
        {
            var line = plot.Add.VerticalLine(bestEpoch + 1);
            line.LegendText = $"best epoch {bestEpoch + 1} (weights kept)";
            line.LinePattern = LinePattern.Dashed;
        }
        if (divergedEpoch >= 0)
        {
            // Epochs 1…divergedEpoch completed; the next one blew up.
            var line = plot.Add.VerticalLine(Math.Max(divergedEpoch, 0.5));
            line.LegendText = divergedEpoch > 0 ? $"last good epoch {divergedEpoch} (diverged in epoch {divergedEpoch + 1})" : "diverged in epoch 1";
            line.Color = Colors.Red;
            line.LineWidth = 2;
        }
        IntegerTicks(plot.Axes.Bottom);
        double highest = Math.Max(MaxFinite(train), MaxFinite(validation));
        plot.Axes.SetLimits(0.5, Math.Max(train.Length, 1) + 0.5, 0, highest > 0 ? highest * 1.08 : 1); // losses are ≥ 0
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }

    /// <summary>Several loss curves on a log-scaled loss axis; diverged curves end with a marker.</summary>
    public static Plot BuildLossCurves(IReadOnlyList<(string Label, double[] Losses, bool Diverged)> curves, string title)
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
        IntegerTicks(plot.Axes.Bottom);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("training loss (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Permutation importance as horizontal bars (mean drop in score) with ± one standard deviation, the largest on top.</summary>
    public static Plot BuildImportance(IReadOnlyList<(string Name, double Mean, double Std)> groups, string metricName, string title)
    {
        var plot = new Plot();
        // Ordered by mean drop; the first is drawn at the top.
        var ordered = groups.OrderByDescending(g => g.Mean).ThenBy(g => g.Name, StringComparer.Ordinal).ToArray();
        int n = ordered.Length;
        var bars = new Bar[n];
        for (int i = 0; i < n; i++)
        {
            bars[i] = new Bar { Position = n - 1 - i, Value = ordered[i].Mean, Error = ordered[i].Std, FillColor = Colors.SteelBlue };
        }
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, n).Select(i => (double)(n - 1 - i))], [.. ordered.Select(g => g.Name)]);
        plot.Add.VerticalLine(0).Color = Colors.Black;
        double low = Math.Min(0, ordered.Min(g => g.Mean - g.Std)), high = Math.Max(0, ordered.Max(g => g.Mean + g.Std));
        double pad = Math.Max((high - low) * 0.05, 1e-9);
        plot.Axes.SetLimits(low - pad, high + pad, -0.6, n - 0.4);
        plot.Title(title);
        plot.XLabel($"drop in {metricName} when shuffled (mean ± std over repeats)");
        return plot;
    }

    /// <summary>
    /// Builds and renders a plot to PNG bytes; null, with the reason, when SkiaSharp's native library cannot be
    /// loaded — so that a command whose main output is not a picture (train) can still keep its model.
    /// </summary>
    public static byte[]? TryRender(Func<Plot> build, out DllNotFoundException? missing)
    {
        missing = null;
        try
        {
            using Plot plot = build();
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        catch (Exception e) when (Program.MissingNativeLibrary(e) is { } library)
        {
            missing = library;
            return null;
        }
    }

    /// <summary>Renders <paramref name="plot"/> as a PNG at the README's width and returns <paramref name="path"/>.</summary>
    public static string Save(Plot plot, string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        plot.SavePng(path, Width, Height);
        return path;
    }

    private static void LogAxis(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
        };
    }

    private static void IntegerTicks(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    private static double MaxFinite(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v) && v > max)
            {
                max = v;
            }
        }
        return max;
    }

    private static double[] Epochs(int count) => [.. Enumerable.Range(1, count).Select(i => (double)i)];

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
