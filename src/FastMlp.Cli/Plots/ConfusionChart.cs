using ScottPlot;

namespace FastMlp.Cli.Plots;

/// <summary>The confusion matrix as a heat map with counts: rows are the true class, columns the predicted one.</summary>
internal static partial class Charts
{
    public static Plot BuildConfusion(int[,] counts, IReadOnlyList<string> classNames, string title)
    {
        int k = classNames.Count;
        var share = new double[k, k];
        for (int t = 0; t < k; t++)
        {
            int total = 0;
            for (int p = 0; p < k; p++) total += counts[t, p];
            for (int p = 0; p < k; p++) share[t, p] = total == 0 ? 0 : counts[t, p] / (double)total;
        }
        var plot = new Plot();
        var heat = plot.Add.Heatmap(share);
        // Cell (t, p) is centred on x = p, y = k − 1 − t, so the first class is the top row.
        heat.Rectangle = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5);
        heat.Colormap = new ScottPlot.Colormaps.Blues().Reversed(); // white for none, dark blue for all of a class
        var bar = plot.Add.ColorBar(heat);
        bar.Label = "share of the true class";
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                var text = plot.Add.Text(F($"{counts[t, p]}"), p, k - 1 - t);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = k > 12 ? 9 : 14;
                text.LabelFontColor = share[t, p] > 0.5 ? Colors.White : Colors.Black;
            }
        }
        double[] positions = [.. Enumerable.Range(0, k).Select(i => (double)i)];
        plot.Axes.Bottom.SetTicks(positions, [.. classNames]);
        plot.Axes.Left.SetTicks([.. positions.Reverse()], [.. classNames]);
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        return plot;
    }
}
