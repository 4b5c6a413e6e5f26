using ScottPlot;

namespace FastMlp.Cli.Plots;

/// <summary>The lecture's pictures: the fitted line, the cost curve, the cost surface with descent paths, the LR finder.</summary>
internal static partial class Charts
{
    /// <summary>Data points with the fitted line y = b + m·x, the true line and the least-squares line.</summary>
    public static Plot BuildLinearFit(double[] x, double[] y, (double M, double B) fit, (double M, double B) truth, (double M, double B) leastSquares)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(x, y);
        points.LegendText = "data";
        double lo = x.Min(), hi = x.Max();
        var fitted = plot.Add.Line(lo, fit.B + fit.M * lo, hi, fit.B + fit.M * hi);
        fitted.LegendText = F($"gradient descent y = {fit.B:F3} + {fit.M:F3}·x");
        fitted.LineWidth = 2;
        var best = plot.Add.Line(lo, leastSquares.B + leastSquares.M * lo, hi, leastSquares.B + leastSquares.M * hi);
        best.LegendText = F($"least squares y = {leastSquares.B:F3} + {leastSquares.M:F3}·x");
        best.LinePattern = LinePattern.Dotted;
        var real = plot.Add.Line(lo, truth.B + truth.M * lo, hi, truth.B + truth.M * hi);
        real.LegendText = F($"true y = {truth.B:F3} + {truth.M:F3}·x (before noise)");
        real.LinePattern = LinePattern.Dashed;
        plot.Title(F($"y = b + m·x fitted by gradient descent to {x.Length} noisy points"));
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>The cost J per epoch of the main fit.</summary>
    public static Plot BuildCost(double[] cost, string title)
    {
        var plot = new Plot();
        var s = plot.Add.Scatter(Epochs(cost.Length), cost);
        s.LegendText = "cost J(m, b) (MSE)";
        s.MarkerSize = 3;
        IntegerTicks(plot.Axes.Bottom);
        plot.Axes.SetLimitsY(0, cost.Where(double.IsFinite).DefaultIfEmpty(1).Max() * 1.05);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("cost (MSE)");
        return plot;
    }

    /// <summary>One path of (m, b) per epoch, for the cost-surface picture.</summary>
    public sealed record DescentPath(string Label, double[] M, double[] B);

    /// <summary>
    /// The cost J(m, b) = 1/N Σ(b + m·x − y)² as a heat map (log scale) with contour lines over a window that holds
    /// the start and the least-squares minimum, the minimum marked, and each path of (m, b) epoch by epoch; a path
    /// that flies off leaves the window (the limits are fixed, not fitted to the paths).
    /// </summary>
    public static Plot BuildCostSurface(double[] x, double[] y, (double M, double B) minimum, IReadOnlyList<DescentPath> paths)
    {
        (double mLo, double mHi, double bLo, double bHi) = SurfaceWindow(minimum, paths);
        const int Cells = 120;
        var logCost = new double[Cells, Cells];
        var points = new Coordinates3d[Cells, Cells];
        for (int row = 0; row < Cells; row++)
        {
            // Row 0 is the top of the heat map: the largest b.
            double b = bHi - (bHi - bLo) * (row + 0.5) / Cells;
            for (int column = 0; column < Cells; column++)
            {
                double m = mLo + (mHi - mLo) * (column + 0.5) / Cells;
                double j = Math.Log10(Demos.LinearDemo.Cost(x, y, m, b));
                logCost[row, column] = j;
                points[row, column] = new Coordinates3d(m, b, j);
            }
        }
        var plot = new Plot();
        var heat = plot.Add.Heatmap(logCost);
        heat.Rectangle = new CoordinateRect(mLo, mHi, bLo, bHi);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(heat);
        bar.Label = "log10 J(m, b)";
        var contours = plot.Add.ContourLines(points);
        contours.LineColor = Colors.White.WithAlpha(0.5);
        contours.LabelStyle.IsVisible = false;

        Color[] colors = [Colors.Orange, Colors.Cyan, Colors.Red, Colors.Magenta, Colors.White];
        for (int i = 0; i < paths.Count; i++)
        {
            (double[] pm, double[] pb) = ClipPath(paths[i], (mLo, mHi, bLo, bHi));
            var s = plot.Add.Scatter(pm, pb);
            s.LegendText = paths[i].Label;
            s.Color = colors[i % colors.Length];
            s.MarkerSize = 4;
            s.LineWidth = 1.5f;
        }
        var min = plot.Add.Marker(minimum.M, minimum.B, MarkerShape.Cross, 16, Colors.Black);
        min.LegendText = F($"least-squares minimum (m = {minimum.M:F3}, b = {minimum.B:F3})");
        var start = plot.Add.Marker(paths.Count > 0 ? paths[0].M[0] : 0, paths.Count > 0 ? paths[0].B[0] : 0, MarkerShape.OpenCircle, 12, Colors.Black);
        start.LegendText = "start";
        plot.Axes.SetLimits(mLo, mHi, bLo, bHi);
        plot.Title("The cost J(m, b) as a bowl, and gradient descent walking down it");
        plot.XLabel("slope m");
        plot.YLabel("intercept b");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>
    /// A path up to its first point well outside the window (one more step is drawn, leaving the picture): a
    /// diverging path would otherwise bury the bowl under ever longer zig-zags.
    /// </summary>
    public static (double[] M, double[] B) ClipPath(DescentPath path, (double MLo, double MHi, double BLo, double BHi) window)
    {
        double w = window.MHi - window.MLo, h = window.BHi - window.BLo;
        int count = 0;
        while (count < path.M.Length)
        {
            bool outside = path.M[count] < window.MLo - w / 4 || path.M[count] > window.MHi + w / 4 || path.B[count] < window.BLo - h / 4 || path.B[count] > window.BHi + h / 4;
            count++;
            if (outside)
            {
                break;
            }
        }
        return (path.M[..count], path.B[..count]);
    }

    /// <summary>A window around the start of the paths and the minimum, with a margin.</summary>
    public static (double MLo, double MHi, double BLo, double BHi) SurfaceWindow((double M, double B) minimum, IReadOnlyList<DescentPath> paths)
    {
        double m0 = paths.Count > 0 ? paths[0].M[0] : 0, b0 = paths.Count > 0 ? paths[0].B[0] : 0;
        double spanM = Math.Max(Math.Abs(minimum.M - m0), 1), spanB = Math.Max(Math.Abs(minimum.B - b0), 1);
        double span = Math.Max(spanM, spanB);
        double mMid = (minimum.M + m0) / 2, bMid = (minimum.B + b0) / 2;
        return (mMid - span, mMid + span, bMid - span, bMid + span);
    }

    /// <summary>
    /// The LR range test: loss against learning rate (log x). The y-axis covers the informative range — from 0 to
    /// a little above the starting loss — so the final blow-up does not flatten it; clipped points are marked at
    /// the top edge. The suggested rate and the stretch where the smoothed loss falls at least half as fast as at
    /// its steepest are marked.
    /// </summary>
    public static Plot BuildLearningRateFinder(IReadOnlyList<double> rates, IReadOnlyList<double> losses, IReadOnlyList<double> smoothed, double suggested,
                                               string what)
    {
        var plot = new Plot();
        double[] x = [.. rates.Select(Math.Log10)];
        double top = LearningRateFinderTop(losses, smoothed);
        var raw = plot.Add.Scatter(x, losses.ToArray());
        raw.LegendText = "batch loss";
        raw.MarkerSize = 2;
        raw.LineWidth = 0.5f;
        var s = plot.Add.Scatter(x, smoothed.ToArray());
        s.LegendText = "smoothed";
        s.MarkerSize = 0;
        s.LineWidth = 2;
        double[] clipped = [.. x.Where((_, i) => !(losses[i] <= top))];
        if (clipped.Length > 0)
        {
            var marks = plot.Add.ScatterPoints(clipped, [.. clipped.Select(_ => top)]);
            marks.MarkerShape = MarkerShape.FilledTriangleUp;
            marks.MarkerSize = 7;
            marks.LegendText = F($"loss above {top:G3} (clipped: the blow-up)");
        }
        if (SteepestStretch(rates, smoothed) is (int first, int last) && last > first)
        {
            var span = plot.Add.HorizontalSpan(x[first], x[last]);
            span.LegendText = "steepest descent of the smoothed loss";
            span.FillStyle.Color = Colors.Green.WithAlpha(0.15);
        }
        if (double.IsFinite(suggested))
        {
            var line = plot.Add.VerticalLine(Math.Log10(suggested));
            line.LegendText = F($"suggested {suggested:G3}");
            line.LinePattern = LinePattern.Dashed;
        }
        LogAxis(plot.Axes.Bottom);
        plot.Axes.SetLimits(x.Length > 0 ? x[0] : -5, x.Length > 0 ? x[^1] : 1, 0, top * 1.05);
        plot.Title($"Learning-rate range test on {what}");
        plot.XLabel("learning rate (log scale)");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>The top of the LR finder's y-axis: 1.25 × the highest of the first batch loss and the first smoothed loss.</summary>
    public static double LearningRateFinderTop(IReadOnlyList<double> losses, IReadOnlyList<double> smoothed)
    {
        double start = Math.Max(losses.Count > 0 && double.IsFinite(losses[0]) ? losses[0] : 0, smoothed.Count > 0 && double.IsFinite(smoothed[0]) ? smoothed[0] : 0);
        return start > 0 ? 1.25 * start : 1;
    }

    /// <summary>Indexes of the stretch around the steepest slope where the smoothed loss falls at least half as fast.</summary>
    public static (int First, int Last)? SteepestStretch(IReadOnlyList<double> rates, IReadOnlyList<double> smoothed)
    {
        int n = Math.Min(rates.Count, smoothed.Count);
        if (n < 3)
        {
            return null;
        }
        var slope = new double[n];
        int steepest = 1;
        for (int i = 1; i < n - 1; i++)
        {
            slope[i] = (smoothed[i + 1] - smoothed[i - 1]) / (Math.Log(rates[i + 1]) - Math.Log(rates[i - 1]));
            if (slope[i] < slope[steepest])
            {
                steepest = i;
            }
        }
        if (!(slope[steepest] < 0))
        {
            return null;
        }
        int first = steepest, last = steepest;
        while (first > 1 && slope[first - 1] <= slope[steepest] / 2) first--;
        while (last < n - 2 && slope[last + 1] <= slope[steepest] / 2) last++;
        return (first, last);
    }
}
