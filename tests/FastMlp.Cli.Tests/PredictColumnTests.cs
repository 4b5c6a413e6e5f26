namespace FastMlp.Cli.Tests;

/// <summary>predict/evaluate match the model's features by column name; position only when no name matches.</summary>
public sealed class PredictColumnTests
{
    /// <summary>A regression model on columns a, b, c whose prediction depends strongly on which column is which.</summary>
    private static string TrainModel(TempFolder temp, string target = "y")
    {
        string quoted = target.Contains(',') ? $"\"{target}\"" : target;
        var rows = new System.Text.StringBuilder($"a,b,c,{quoted}\n");
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble(), c = random.NextDouble();
            rows.Append(FormattableString.Invariant($"{a},{b},{c},{10 * a - 5 * b + c}\n"));
        }
        string csv = temp.File("train.csv", rows.ToString());
        string folder = Path.Combine(temp.Path, "model");
        CliResult r = CliRunner.Run("train", "--data", csv, "--target", target, "--task", "regression", "--out", folder, "--layers", "none",
                                    "--optimizer", "adam", "--lr", "0.05", "--epochs", "200", "--patience", "0", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        return Path.Combine(folder, "model.fastmlp");
    }

    private static double[] Predict(string model, TempFolder temp, string csv, out CliResult result)
    {
        result = CliRunner.Run("predict", "--model", model, "--data", temp.File("in.csv", csv));
        if (result.ExitCode != 0)
        {
            return [];
        }
        return [.. result.Output.Trim().Split('\n').Skip(1).Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void Reordered_and_extra_columns_are_matched_by_name()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        double[] straight = Predict(model, temp, "a,b,c\n1,0,0\n0,1,0\n", out CliResult r1);
        double[] reordered = Predict(model, temp, "extra,c,b,a\n9,0,0,1\n9,0,1,0\n", out CliResult r2);
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0, r1.Error + r2.Error);
        Assert.Equal(straight, reordered);
        Assert.True(straight[0] > 5 && straight[1] < -2, $"the model did not learn: {string.Join(", ", straight)}");
        Assert.Equal("", r2.Error);
    }

    [Fact]
    public void A_partial_match_is_an_error_naming_missing_and_unknown_columns()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        Predict(model, temp, "b,a,d\n1,0,0\n", out CliResult r);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing c", r.Error);
        Assert.Contains("unknown d", r.Error);
        Assert.DoesNotContain('\n', r.Error.TrimEnd());
    }

    [Fact]
    public void No_matching_name_falls_back_to_position_with_a_warning()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        double[] named = Predict(model, temp, "a,b,c\n1,0,0\n", out _);
        double[] positional = Predict(model, temp, "x,y2,z\n1,0,0\n", out CliResult r);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(named, positional);
        Assert.Contains("warning", r.Error);
        Assert.Contains("by position", r.Error);
    }

    [Fact]
    public void No_matching_name_and_a_different_count_is_an_error()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        Predict(model, temp, "x,y2\n1,0\n", out CliResult r);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("expected 3 feature columns", r.Error);
    }

    [Fact]
    public void Missing_columns_are_named()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        Predict(model, temp, "a,b\n1,0\n", out CliResult r);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing c", r.Error);
    }

    [Fact]
    public void Duplicate_column_names_are_an_error_naming_file_line_and_columns()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        Predict(model, temp, "a,b,a,c\n1,0,0,1\n", out CliResult r);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("in.csv: line 1, columns 1 and 3: the column name 'a' appears twice", r.Error);
    }

    [Fact]
    public void Evaluate_ignores_extra_columns_and_names_missing_ones()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        CliResult ok = CliRunner.Run("evaluate", "--model", model, "--data", temp.File("e1.csv", "c,extra,a,b,y\n0,5,1,0,10\n1,5,0,1,-4\n"), "--quiet");
        Assert.True(ok.ExitCode == 0, ok.Error);
        CliResult bad = CliRunner.Run("evaluate", "--model", model, "--data", temp.File("e2.csv", "a,b,d,y\n0,1,0,10\n"), "--quiet");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("missing c", bad.Error);
        Assert.Contains("unknown d", bad.Error);
    }

    [Fact]
    public void Evaluate_accepts_another_target_column()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp);
        CliResult r = CliRunner.Run("evaluate", "--model", model, "--data", temp.File("e.csv", "a,b,c,truth\n1,0,0,10\n0,1,0,-5\n"), "--target", "truth", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("RMSE", r.Output);
    }

    [Fact]
    public void The_predict_header_is_escaped()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = TrainModel(temp, target: "spe,cies");
        CliResult r = CliRunner.Run("predict", "--model", model, "--data", temp.File("in.csv", "a,b,c\n1,0,0\n"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.StartsWith("\"spe,cies\"\n", r.Output.ReplaceLineEndings("\n"));
    }
}
