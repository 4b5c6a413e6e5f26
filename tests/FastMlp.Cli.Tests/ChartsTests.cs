using FastMlp.Cli.Demos;
using FastMlp.Cli.Plots;
using ScottPlot;
using ScottPlot.Plottables;

namespace FastMlp.Cli.Tests;

/// <summary>What each plot shows — series, marks and axis limits — checked through ScottPlot's API, not only that a PNG exists.</summary>
public sealed class ChartsTests
{
    [Fact]
    public void The_loss_plot_has_whole_epochs_a_metric_axis_and_the_best_epoch()
    {
        double[] train = [0.9, 0.5, 0.3, 0.2], validation = [1.0, 0.6, 0.5, 0.55], accuracy = [0.7, 0.8, 0.85, 0.84];
        Plot plot = Charts.BuildLoss(train, validation, accuracy, "accuracy", bestEpoch: 2, "digits: 64-32-10");
        Scatter[] series = [.. plot.GetPlottables<Scatter>()];
        Assert.Equal(["train loss", "validation loss", "validation accuracy (right axis)"], series.Select(s => s.LegendText));
        Assert.Same(plot.Axes.Right, series[2].Axes.YAxis);
        Assert.Equal([1, 2, 3, 4], series[0].Data.GetScatterPoints().Select(p => p.X));
        Assert.Equal(accuracy, series[2].Data.GetScatterPoints().Select(p => p.Y));
        Assert.Equal(3, plot.GetPlottables<VerticalLine>().Single().X);
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal(0.5, limits.Left);
        Assert.Equal(4.5, limits.Right);
        Assert.Equal(0, limits.Bottom);
        Assert.Equal(1.08, limits.Top, 9);
        Assert.True(((ScottPlot.TickGenerators.NumericAutomatic)plot.Axes.Bottom.TickGenerator).IntegerTicksOnly);
        Assert.Equal("digits: 64-32-10", plot.Axes.Title.Label.Text);
    }

    [Fact]
    public void The_importance_plot_puts_the_largest_drop_on_top_with_its_spread()
    {
        Plot plot = Charts.BuildImportance([("age", -0.01, 0.02), ("bmi", 0.09, 0.015), ("bp", 0.04, 0.01)], "ROC-AUC", "t");
        BarPlot bars = plot.GetPlottables<BarPlot>().Single();
        Assert.All(bars.Bars, b => Assert.Equal(Orientation.Horizontal, b.Orientation));
        // Positions from the top: bmi (2), bp (1), age (0).
        Assert.Equal([(2.0, 0.09, 0.015), (1.0, 0.04, 0.01), (0.0, -0.01, 0.02)], bars.Bars.Select(b => (b.Position, b.Value, b.Error)));
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.True(limits.Left < -0.03 && limits.Right > 0.105, $"{limits.Left} … {limits.Right}");
        Assert.Equal("drop in ROC-AUC when shuffled (mean ± std over repeats)", plot.Axes.Bottom.Label.Text);
    }

    [Fact]
    public void A_diverged_loss_plot_marks_the_last_good_epoch()
    {
        Plot plot = Charts.BuildLoss([2.0, 5.0, 40.0], [2.1, 6.0, 50.0], [0.5, 0.4, 0.2], "accuracy", -1, "t", divergedEpoch: 3);
        VerticalLine mark = plot.GetPlottables<VerticalLine>().Single();
        Assert.Equal(3, mark.X);
        Assert.Equal("last good epoch 3 (diverged in epoch 4)", mark.LegendText);
        Assert.Equal(50 * 1.08, plot.Axes.GetLimits().Top, 9);
    }

    [Fact]
    public void The_lr_finder_axis_stops_above_the_start_and_marks_the_clipped_blow_up()
    {
        double[] rates = [.. Enumerable.Range(0, 30).Select(i => 1e-4 * Math.Pow(10, i / 6.0))];
        double[] losses = [.. Enumerable.Range(0, 30).Select(i => i < 24 ? 2.3 - 0.08 * i : 2.3 + Math.Pow(3, i - 23))];
        double[] smoothed = [.. losses.Select((l, i) => Math.Min(l, 2.3 - 0.07 * Math.Min(i, 24)))];
        Plot plot = Charts.BuildLearningRateFinder(rates, losses, smoothed, rates[12], "digits");
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal(0, limits.Bottom);
        Assert.Equal(1.25 * 2.3 * 1.05, limits.Top, 9);
        Assert.Equal(Math.Log10(rates[0]), limits.Left, 9);
        Assert.Equal(Math.Log10(rates[^1]), limits.Right, 9);
        // The blow-up (losses above 1.25 × the start) is drawn as markers on the top edge, one per clipped point.
        Scatter clipped = plot.GetPlottables<Scatter>().Single(s => s.LegendText.Contains("clipped"));
        Assert.Equal(losses.Count(l => l > 1.25 * 2.3), clipped.Data.GetScatterPoints().Count);
        Assert.All(clipped.Data.GetScatterPoints(), p => Assert.Equal(1.25 * 2.3, p.Y, 9));
        Assert.Equal(Math.Log10(rates[12]), plot.GetPlottables<VerticalLine>().Single().X, 9);
        Assert.Single(plot.GetPlottables<HorizontalSpan>());
    }

    [Fact]
    public void The_steepest_stretch_surrounds_the_steepest_slope()
    {
        double[] rates = [.. Enumerable.Range(0, 10).Select(i => Math.Pow(10, i))];
        double[] smoothed = [5, 5, 5, 4.9, 4, 2, 1.5, 1.4, 1.4, 1.4];
        (int first, int last) = Charts.SteepestStretch(rates, smoothed)!.Value;
        Assert.True(first <= 4 && last >= 5, $"{first}..{last}");
        Assert.True(first >= 3 && last <= 6, $"{first}..{last}");
        Assert.Null(Charts.SteepestStretch(rates, [.. rates.Select(_ => 1.0)]));
    }

    [Fact]
    public void The_cost_surface_holds_start_and_minimum_and_draws_every_path()
    {
        (double[] x, double[] y) = LinearDemo.Data(50, 2.5, -1, 0.3, 1);
        (double m, double b) = LinearDemo.LeastSquares(x, y);
        var paths = new[]
        {
            new Charts.DescentPath("a", [0, 1, 2], [0, -0.5, -0.9]),
            new Charts.DescentPath("b", [0, 10, -30, 90, -270], [0, 5, -15, 45, -135]),
        };
        Plot plot = Charts.BuildCostSurface(x, y, (m, b), paths);
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.True(limits.Left < 0 && limits.Right > m && limits.Bottom < b && limits.Top > 0);
        Assert.Equal(limits.Right - limits.Left, limits.Top - limits.Bottom, 9);
        Heatmap heat = plot.GetPlottables<Heatmap>().Single();
        AxisLimits heatLimits = heat.GetAxisLimits();
        Assert.Equal((limits.Left, limits.Right, limits.Bottom, limits.Top), (heatLimits.Left, heatLimits.Right, heatLimits.Bottom, heatLimits.Top),
                     (p, q) => Math.Abs(p.Item1 - q.Item1) + Math.Abs(p.Item2 - q.Item2) + Math.Abs(p.Item3 - q.Item3) + Math.Abs(p.Item4 - q.Item4) < 1e-9);
        // The heat map is log10 J: its darkest cell lies next to the least-squares minimum.
        double[,] cells = heat.Intensities;
        (int row, int column) = (0, 0);
        for (int r = 0; r < cells.GetLength(0); r++)
            for (int c = 0; c < cells.GetLength(1); c++)
                if (cells[r, c] < cells[row, column]) (row, column) = (r, c);
        double cellM = limits.Left + (limits.Right - limits.Left) * (column + 0.5) / cells.GetLength(1);
        double cellB = limits.Top - (limits.Top - limits.Bottom) * (row + 0.5) / cells.GetLength(0);
        Assert.True(Math.Abs(cellM - m) < 0.1 && Math.Abs(cellB - b) < 0.1, $"darkest cell at ({cellM}, {cellB}), minimum at ({m}, {b})");
        Scatter[] drawn = [.. plot.GetPlottables<Scatter>()];
        Assert.Equal(["a", "b"], drawn.Select(s => s.LegendText));
        Assert.Equal(3, drawn[0].Data.GetScatterPoints().Count);
        // The diverging path is cut one step after it leaves the picture.
        Assert.True(drawn[1].Data.GetScatterPoints().Count < 5);
        Assert.Contains(plot.GetPlottables<Marker>(), mk => mk.Location == new Coordinates(m, b));
    }

    [Fact]
    public void The_confusion_matrix_puts_true_classes_in_rows_from_the_top()
    {
        int[,] counts = { { 5, 1, 0 }, { 0, 7, 2 }, { 3, 0, 4 } };
        Plot plot = Charts.BuildConfusion(counts, ["cat", "dog", "emu"], "test");
        Text[] labels = [.. plot.GetPlottables<Text>()];
        Assert.Equal(9, labels.Length);
        // True class 0 ("cat") is the top row (y = 2); predicted class 1 is x = 1.
        Assert.Equal("1", labels.Single(t => t.Location == new Coordinates(1, 2)).LabelText);
        Assert.Equal("2", labels.Single(t => t.Location == new Coordinates(2, 1)).LabelText);
        Assert.Equal("3", labels.Single(t => t.Location == new Coordinates(0, 0)).LabelText);
        Heatmap heat = plot.GetPlottables<Heatmap>().Single();
        Assert.Equal(5 / 6.0, heat.Intensities[0, 0], 9);
        Assert.Equal(2 / 9.0, heat.Intensities[1, 2], 9);
        plot.GetImage(400, 300).Dispose(); // ticks are generated when the plot is laid out
        Tick[] bottom = [.. plot.Axes.Bottom.TickGenerator.Ticks];
        Assert.Equal(["cat", "dog", "emu"], bottom.OrderBy(t => t.Position).Select(t => t.Label));
        Tick[] left = [.. plot.Axes.Left.TickGenerator.Ticks];
        Assert.Equal(["emu", "dog", "cat"], left.OrderBy(t => t.Position).Select(t => t.Label));
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal((-0.5, 2.5, -0.5, 2.5), (limits.Left, limits.Right, limits.Bottom, limits.Top));
    }

    [Fact]
    public void The_same_data_gives_the_same_png_bytes()
    {
        using TempFolder temp = CliRunner.Temp();
        string a = Charts.Save(Charts.BuildConfusion(new[,] { { 1, 2 }, { 3, 4 } }, ["x", "y"], "t"), temp.File("a.png"));
        string b = Charts.Save(Charts.BuildConfusion(new[,] { { 1, 2 }, { 3, 4 } }, ["x", "y"], "t"), temp.File("b.png"));
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Demo_linear_converges_by_default_to_the_least_squares_line()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("demo", "linear", "--out", temp.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = System.Text.Json.JsonDocument.Parse(r.Output);
        double m = json.RootElement.GetProperty("m").GetDouble(), b = json.RootElement.GetProperty("b").GetDouble();
        double lsM = json.RootElement.GetProperty("leastSquaresM").GetDouble(), lsB = json.RootElement.GetProperty("leastSquaresB").GetDouble();
        Assert.True(Math.Abs(m - lsM) <= 0.01 * Math.Abs(lsM) && Math.Abs(b - lsB) <= 0.01 * Math.Abs(lsB), $"m {m} vs {lsM}, b {b} vs {lsB}");
        string[] behaviours = [.. json.RootElement.GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("behaviour").GetString()!)];
        Assert.Equal(3, behaviours.Length);
        Assert.Contains("crawls", behaviours[0]);
        Assert.Contains("converges", behaviours[1]);
        Assert.Contains("diverges", behaviours[2]);
        Assert.True(File.Exists(Path.Combine(temp.Path, "demo-linear-surface.png")));
    }

    [Fact]
    public void The_stability_limit_separates_converging_from_diverging_rates()
    {
        (double[] x, double[] y) = LinearDemo.Data(40, 2, 1, 0.1, 5);
        double limit = LinearDemo.StabilityLimit(x);
        Assert.False(LinearDemo.Run(x, y, 0.95 * limit, 400, default).Diverged);
        LinearDemo.Descent over = LinearDemo.Run(x, y, 1.05 * limit, 400, default);
        Assert.True(over.Diverged || Math.Abs(over.M[^1]) > 1e6, $"m = {over.M[^1]}");
        (double m, double b) = LinearDemo.LeastSquares(x, y);
        LinearDemo.Descent good = LinearDemo.Run(x, y, 0.6 * limit, 2000, default);
        Assert.Equal(m, good.M[^1], 6);
        Assert.Equal(b, good.B[^1], 6);
    }
}
