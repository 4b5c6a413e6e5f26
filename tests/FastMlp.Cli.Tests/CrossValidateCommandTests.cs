using System.Text.Json;

namespace FastMlp.Cli.Tests;

/// <summary>fastmlp cv: per-fold metrics and their mean ± std, on numeric, mixed and regression data.</summary>
public sealed class CrossValidateCommandTests
{
    private static readonly string MixedCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit-mixed.csv");

    [Fact]
    public void Json_has_every_fold_and_the_mean_and_std_of_each_metric()
    {
        CliResult r = CliRunner.Run("cv", "--data", MixedCsv, "--target", "default", "--folds", "3", "--epochs", "3", "--layers", "8", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(3, root.GetProperty("folds").GetInt32());
        JsonElement[] folds = [.. root.GetProperty("perFold").EnumerateArray()];
        Assert.Equal(1200, folds.Sum(f => f.GetProperty("rows").GetInt32()));
        double[] accuracy = [.. folds.Select(f => f.GetProperty("metrics").GetProperty("accuracy").GetDouble())];
        double mean = accuracy.Average();
        Assert.Equal(mean, root.GetProperty("mean").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(accuracy.Sum(a => (a - mean) * (a - mean)) / 3), root.GetProperty("std").GetProperty("accuracy").GetDouble(), 12);
        foreach (string key in new[] { "balancedAccuracy", "f1", "rocAuc", "logLoss" })
        {
            Assert.True(root.GetProperty("mean").TryGetProperty(key, out _), key);
        }
        // Seeded: the same command gives the same numbers.
        Assert.Equal(r.Output, CliRunner.Run("cv", "--data", MixedCsv, "--target", "default", "--folds", "3", "--epochs", "3", "--layers", "8", "--json").Output);
    }

    [Fact]
    public void A_regression_reports_rmse_mae_and_r2_in_a_table()
    {
        CliResult r = CliRunner.Run("cv", "--dataset", "diabetes", "--folds", "4", "--epochs", "5", "--layers", "8", "--optimizer", "adam", "--lr", "0.01");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("4 folds (seed 42)", r.Output);
        Assert.Contains("mean ± std", r.Output);
        Assert.Contains("R²", r.Output);
        Assert.Matches(@"RMSE \d+\.\d{4} ± \d+\.\d{4} over 4 folds", r.Output);
    }

    [Fact]
    public void Each_fold_fits_its_schema_on_its_training_rows_so_a_category_only_in_its_held_out_rows_is_unseen()
    {
        // The folds cv will use (stratified, seed 42); 'Paris' goes into three rows that fold 2 holds out, and nowhere else.
        const int n = 60;
        int[] labels = [.. Enumerable.Range(0, n).Select(r => r % 3 == 0 ? 1 : 0)];
        IReadOnlyList<(int[] Train, int[] Test)> folds = CrossValidation.Folds(n, 3, 42, labels);
        int[] paris = [.. folds[1].Test.Take(3)];
        using TempFolder folder = CliRunner.Temp();
        var csv = new System.Text.StringBuilder("x,city,y\n");
        for (int row = 0; row < n; row++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{row % 7},{(paris.Contains(row) ? "Paris" : row % 2 == 0 ? "Oslo" : "Rome")},{(labels[row] == 1 ? "yes" : "no")}\n");
        }
        string data = folder.File("cities.csv", csv.ToString());
        CliResult r = CliRunner.Run("cv", "--data", data, "--target", "y", "--folds", "3", "--epochs", "2", "--layers", "4", "--patience", "0");
        Assert.True(r.ExitCode == 0, r.Error);
        string[] notes = [.. r.Output.Split('\n').Where(l => l.StartsWith("Note: ", StringComparison.Ordinal))];
        Assert.Equal(["Note: fold 2's held-out part: 3 cells hold categories not seen in training (city: 3); encoded as all zeros."], notes);
    }

    [Fact]
    public void More_folds_than_the_smallest_class_has_rows_is_refused_in_one_line()
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = Path.Combine(folder.Path, "small.csv");
        File.WriteAllLines(csv, ["x,y", .. Enumerable.Range(0, 12).Select(i => $"{i},{(i < 9 ? "no" : "yes")}")]);
        CliResult r = CliRunner.Run("cv", "--data", csv, "--target", "y", "--folds", "4", "--epochs", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: --folds: {csv}: 4 stratified folds need at least 4 rows of every class, but class 'yes' has 3; use at most 3 folds.", r.Error.Trim());
    }
}
