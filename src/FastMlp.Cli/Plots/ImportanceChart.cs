using ScottPlot;

namespace FastMlp.Cli.Plots;

/// <summary>Permutation importance as horizontal bars (mean drop in score) with ± one standard deviation, the largest on top.</summary>
internal static partial class Charts
{
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
}
