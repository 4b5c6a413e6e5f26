using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FastMlp.Cli.Tests;

/// <summary>train/cv --sample-weight COLUMN and --target a,b: what the columns do, and the inputs they refuse.</summary>
public sealed class CsvTargetOptionTests
{
    /// <summary>
    /// A CSV of two numeric features, a text column, a weight column (<paramref name="weight"/> per row) and a target:
    /// a class (yes when x1 + x2 &gt; 0) or, with <paramref name="regression"/>, a number linear in the features.
    /// <paramref name="scramble"/> corrupts the target of every row of weight 0 (the class flipped, the number negated;
    /// in a regression also a new category and missing cells).
    /// </summary>
    private static string ClassCsv(TempFolder folder, string file, Func<int, int> weight, bool scramble, bool regression = false)
    {
        var random = new Random(7);
        var text = new StringBuilder("x1,x2,colour,w,label\n");
        for (int r = 0; r < 240; r++)
        {
            double x1 = random.NextDouble() * 4 - 2, x2 = random.NextDouble() * 4 - 2;
            string colour = (r % 3) switch { 0 => "red", 1 => "green", _ => "blue" };
            int w = weight(r);
            bool corrupt = scramble && w == 0;
            string x2Cell = x2.ToString("F4", CultureInfo.InvariantCulture);
            if (corrupt && regression)
            {
                // Also a category and missing cells that only rows of weight 0 have: the schema must not see them.
                (colour, x2Cell) = (r % 4 == 0 ? "purple" : colour, r % 6 == 0 ? "" : x2Cell);
            }
            double value = 20 + 3 * x1 - 2 * x2 + (colour == "red" ? 4 : 0) + random.NextDouble() * 0.01;
            string target = regression ? (corrupt ? -50 * value : value).ToString("F4", CultureInfo.InvariantCulture) : (x1 + x2 > 0) != corrupt ? "yes" : "no";
            text.Append(CultureInfo.InvariantCulture, $"{x1:F4},{x2Cell},{colour},{w},{target}\n");
        }
        string path = Path.Combine(folder.Path, file);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string Train(TempFolder folder, string csv, string output, params string[] extra)
    {
        string outFolder = Path.Combine(folder.Path, output);
        CliResult r = CliRunner.Run(["train", "--data", csv, "--target", "label", "--layers", "8", "--epochs", "4", "--patience", "0", "--threads", "1", "--out", outFolder, "--quiet", .. extra]);
        Assert.True(r.ExitCode == 0, r.Error);
        return Path.Combine(outFolder, "model.fastmlp");
    }

    private static string Predict(string model, string csv)
    {
        CliResult r = CliRunner.Run("predict", "--model", model, "--data", csv);
        Assert.True(r.ExitCode == 0, r.Error);
        return r.Output;
    }

    [Fact]
    public void Rows_of_weight_zero_do_not_change_the_model_and_the_weight_column_is_not_a_feature()
    {
        using TempFolder folder = CliRunner.Temp();
        Func<int, int> half = r => r % 2 == 0 ? 0 : 1 + r % 3;
        string clean = ClassCsv(folder, "clean.csv", half, scramble: false, regression: true);
        string scrambled = ClassCsv(folder, "scrambled.csv", half, scramble: true, regression: true);
        string a = Train(folder, clean, "a", "--sample-weight", "w", "--task", "regression");
        string b = Train(folder, scrambled, "b", "--sample-weight", "w", "--task", "regression");
        // The corrupt targets, categories and missing cells sit only on rows of weight 0: neither the column schema,
        // the standardizer, the target scaling nor the gradient sees them, and both runs learn the same weights.
        string predictionsA = Predict(a, clean);
        Assert.Equal(predictionsA, Predict(b, clean));

        // Given weight 1, the corrupt targets are learned from, and the model differs.
        string flipped = Path.Combine(folder.Path, "flipped.csv");
        File.WriteAllText(flipped, File.ReadAllText(scrambled).Replace(",0,", ",1,", StringComparison.Ordinal));
        string c = Train(folder, flipped, "c", "--sample-weight", "w", "--task", "regression");
        Assert.NotEqual(predictionsA, Predict(c, clean));

        // The weight column is not among the model's inputs: a file without it predicts the same.
        Assert.Equal(predictionsA, Predict(a, WithoutWeightColumn(folder, clean)));
    }

    private static string WithoutWeightColumn(TempFolder folder, string csv)
    {
        string path = Path.Combine(folder.Path, "no-weight-" + Path.GetFileName(csv));
        File.WriteAllLines(path, File.ReadAllLines(csv).Select(line => string.Join(',', line.Split(',').Where((_, i) => i != 3))));
        return path;
    }

    [Fact]
    public void Weights_of_one_train_the_same_model_as_no_weights()
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = ClassCsv(folder, "ones.csv", _ => 1, scramble: false);
        string weighted = Train(folder, csv, "weighted", "--sample-weight", "w");
        string plain = WithoutWeightColumn(folder, csv);
        string unweighted = Train(folder, plain, "plain");
        Assert.Equal(Predict(unweighted, plain), Predict(weighted, plain));
    }

    [Fact]
    public void The_weight_column_is_named_in_the_data_line()
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = ClassCsv(folder, "data.csv", r => r % 4, scramble: false);
        CliResult r = CliRunner.Run("train", "--data", csv, "--target", "label", "--sample-weight", "w", "--epochs", "1", "--out", Path.Combine(folder.Path, "out"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains($"Data: {csv}: 240 rows × 3 columns, 2 classes (target 'label'), rows weighted by 'w'", r.Output);
    }

    [Fact]
    public void Cross_validation_takes_sample_weights()
    {
        using TempFolder folder = CliRunner.Temp();
        string scrambled = ClassCsv(folder, "scrambled.csv", r => r % 2 == 0 ? 0 : 1, scramble: true, regression: true);
        string ones = Path.Combine(folder.Path, "ones.csv");
        File.WriteAllLines(ones, File.ReadAllLines(scrambled).Select((line, i) => i == 0 ? line : string.Join(',', line.Split(',').Select((cell, c) => c == 3 ? "1" : cell))));
        string[] options = ["--target", "label", "--task", "regression", "--layers", "8", "--epochs", "3", "--patience", "0", "--folds", "3", "--threads", "1", "--json"];
        CliResult weighted = CliRunner.Run(["cv", "--data", scrambled, .. options, "--sample-weight", "w"]);
        CliResult unweighted = CliRunner.Run(["cv", "--data", WithoutWeightColumn(folder, scrambled), .. options]);
        Assert.True(weighted.ExitCode == 0, weighted.Error);
        Assert.True(unweighted.ExitCode == 0, unweighted.Error);
        // The weights change every fold's model (the same rows and splits, the corrupt half left out of training) ...
        Assert.NotEqual(unweighted.Output, weighted.Output);
        // ... and weights of 1 are no weights (the weight column is not a feature in any fold either).
        CliResult allOnes = CliRunner.Run(["cv", "--data", ones, .. options, "--sample-weight", "w"]);
        Assert.True(allOnes.ExitCode == 0, allOnes.Error);
        Assert.Equal(unweighted.Output, allOnes.Output);
    }

    [Theory]
    [InlineData("-1", "line 3, column 4 ('w'): the sample weight -1 is negative; weights must be ≥ 0.")]
    [InlineData("heavy", "line 3, column 4 ('w'): 'heavy' is not a number.")]
    [InlineData("NaN", "line 3, column 4 ('w')")]
    public void A_bad_weight_cell_names_its_line_and_column(string cell, string expected)
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = ClassCsv(folder, "data.csv", _ => 1, scramble: false);
        string[] lines = File.ReadAllLines(csv);
        string[] cells = lines[2].Split(',');
        cells[3] = cell;
        lines[2] = string.Join(',', cells);
        File.WriteAllLines(csv, lines);
        CliResult r = CliRunner.Run("train", "--data", csv, "--target", "label", "--sample-weight", "w", "--epochs", "1", "--out", Path.Combine(folder.Path, "out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.DoesNotContain("\n", r.Error.Trim());
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out")));
    }

    [Theory]
    [InlineData("--target", "label", "--sample-weight", "label", "--sample-weight: 'label' is also the --target column")]
    [InlineData("--target", "label", "--sample-weight", "weight", "no column named 'weight' for --sample-weight; the columns are: x1, x2, colour, w, label.")]
    [InlineData("--target", "x1,x2", "--sample-weight", "x2", "--sample-weight: 'x2' is also the --target column")]
    public void A_weight_column_that_cannot_be_one_is_refused(string o1, string v1, string o2, string v2, string expected)
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = ClassCsv(folder, "data.csv", _ => 1, scramble: false);
        CliResult r = CliRunner.Run("train", "--data", csv, o1, v1, o2, v2, "--epochs", "1", "--out", Path.Combine(folder.Path, "out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.DoesNotContain("\n", r.Error.Trim());
    }

    [Fact]
    public void All_zero_weights_are_refused()
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = ClassCsv(folder, "data.csv", _ => 0, scramble: false);
        CliResult r = CliRunner.Run("train", "--data", csv, "--target", "label", "--sample-weight", "w", "--epochs", "1", "--out", Path.Combine(folder.Path, "out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("column 4 ('w'): every sample weight is 0; nothing would be learned.", r.Error);
    }

    [Fact]
    public void A_weight_column_needs_a_csv()
    {
        using TempFolder folder = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--sample-weight", "w", "--epochs", "1", "--out", folder.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: --sample-weight: names a column of a --data CSV file; the embedded and IDX data sets have no weight column.", r.Error.Trim());
    }

    /// <summary>Two targets of different scales, linear in the two features, and a text column.</summary>
    private static string TwoTargetCsv(TempFolder folder)
    {
        var random = new Random(3);
        var text = new StringBuilder("area,rooms,city,price,rent\n");
        for (int r = 0; r < 300; r++)
        {
            double area = 20 + random.NextDouble() * 100;
            int rooms = 1 + r % 4;
            string city = r % 2 == 0 ? "north" : "south";
            double price = 3 * area + 10 * rooms + (city == "north" ? 20 : 0) + random.NextDouble();
            double rent = 0.1 * area + rooms + random.NextDouble() * 0.1;
            text.Append(CultureInfo.InvariantCulture, $"{area:F2},{rooms},{city},{price:F2},{rent:F3}\n");
        }
        string path = Path.Combine(folder.Path, "flats.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Several_targets_train_one_output_each_and_predict_names_them()
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = TwoTargetCsv(folder);
        string output = Path.Combine(folder.Path, "m");
        CliResult train = CliRunner.Run("train", "--data", csv, "--target", "price,rent", "--layers", "16", "--optimizer", "adam", "--lr", "0.01", "--epochs", "40", "--out", output, "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        string model = Path.Combine(output, "model.fastmlp");

        string[] predictions = Predict(model, csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("price,rent", predictions[0]);
        Assert.Equal(301, predictions.Length);
        // Each output predicts its own column: price is ~30 times rent on every row.
        string[] data = File.ReadAllLines(csv);
        for (int r = 1; r <= 300; r += 37)
        {
            double[] predicted = [.. predictions[r].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
            double[] actual = [.. data[r].Split(',')[3..].Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
            Assert.InRange(predicted[0], actual[0] * 0.8, actual[0] * 1.2);
            Assert.InRange(predicted[1], actual[1] * 0.8, actual[1] * 1.2);
        }

        // evaluate takes the model's targets by default; R² is averaged over the two outputs.
        CliResult evaluate = CliRunner.Run("evaluate", "--model", model, "--data", csv, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        using JsonDocument json = JsonDocument.Parse(evaluate.Output);
        double r2 = json.RootElement.GetProperty("r2").GetDouble();
        Assert.InRange(r2, 0.9, 1.0);
        // ... and each target has its own figures, named: rent's RMSE is on rent's scale, not price's.
        JsonElement perTarget = json.RootElement.GetProperty("perTarget");
        double Figure(string target, string key) => perTarget.GetProperty(target).GetProperty(key).GetDouble();
        Assert.Equal(r2, (Figure("price", "r2") + Figure("rent", "r2")) / 2, 1e-12);
        Assert.True(Figure("rent", "rmse") < Figure("price", "rmse") / 5, evaluate.Output);
        CliResult table = CliRunner.Run("evaluate", "--model", model, "--data", csv);
        Assert.Contains("per target", table.Output);
        Assert.Matches(@"rent\s+\d", table.Output);

        CliResult oneTarget = CliRunner.Run("evaluate", "--model", model, "--data", csv, "--target", "price");
        Assert.Equal(1, oneTarget.ExitCode);
        Assert.Equal($"error: --target: {csv}: 'price' is 1 target column, but the model predicts 2 (price, rent).", oneTarget.Error.Trim());
    }

    [Theory]
    [InlineData(new[] { "--target", "price,rent", "--task", "classification" }, "--target: 2 columns (price, rent) make a regression with 2 outputs; a classification has one target column.")]
    [InlineData(new[] { "--target", "price,city" }, "line 2, column 3 ('city'): 'north' is not a number; several targets make a regression")]
    [InlineData(new[] { "--target", "price," }, "--target: 'price,' has an empty column name")]
    [InlineData(new[] { "--target", "price,price" }, "--target: 'price,price' names 'price' twice")]
    [InlineData(new[] { "--target", "price,cost" }, "no column named 'cost' for --target; the columns are: area, rooms, city, price, rent.")]
    [InlineData(new[] { "--target", "area,rooms,city,price,rent" }, "needs at least one feature column besides the targets (area, rooms, city, price, rent).")]
    public void Bad_target_lists_are_refused_in_one_line(string[] options, string expected)
    {
        using TempFolder folder = CliRunner.Temp();
        string csv = TwoTargetCsv(folder);
        CliResult r = CliRunner.Run(["train", "--data", csv, "--epochs", "1", "--out", Path.Combine(folder.Path, "out"), .. options]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.DoesNotContain("\n", r.Error.Trim());
    }
}
