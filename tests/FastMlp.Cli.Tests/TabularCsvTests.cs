using System.Globalization;

namespace FastMlp.Cli.Tests;

/// <summary>CSV files with text categories and missing cells: train fits the schema on its training part, predict and evaluate apply it.</summary>
public sealed class TabularCsvTests
{
    private static readonly string MixedCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit-mixed.csv");

    private static void AssertError(CliResult r, params string[] fragments)
    {
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}: {r.Error}");
        string error = r.Error.TrimEnd();
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain('\n', error);
        foreach (string f in fragments)
        {
            Assert.Contains(f, error);
        }
    }

    [Fact]
    public void Train_predict_evaluate_on_the_mixed_csv()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult train = CliRunner.Run("train", "--data", MixedCsv, "--target", "default", "--layers", "16", "--optimizer", "adam", "--epochs", "5",
                                        "--min-category-count", "10", "--missing-indicator", "--impute", "median", "--out", temp.Path);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("1200 rows × 8 columns, 2 classes", train.Output);
        Assert.Contains("Columns (fitted on the train part): 5 numeric (missing → median, 4 missing indicators), 3 categorical", train.Output);
        Assert.Contains("job: 5+other+missing", train.Output); // 'contractor' (about 1 %) is below 10 in 720 training rows

        string modelPath = Path.Combine(temp.Path, "model.fastmlp");
        Mlp<float> model = Mlp<float>.Load(modelPath);
        TabularSchema schema = Assert.IsType<TabularSchema>(model.Schema);
        Assert.Equal(["age", "income", "debt_ratio", "months_employed", "late_payments", "job", "housing", "region"], schema.ColumnNames);
        Assert.Equal(model.InputCount, schema.FeatureCount);
        Assert.Equal(schema.FeatureNames, model.FeatureNames);
        Assert.Equal(Imputation.Median, schema.Imputation);

        // New rows: columns in another order, missing cells, an unseen job and an unseen housing value.
        string input = temp.File("new.csv",
            "region,job,housing,age,income,debt_ratio,months_employed,late_payments\n" +
            "north,salaried,own,40,52.0,0.2,80,0\n" +
            "?,astronaut,boat,NA,,0.9,N/A,6\n");
        CliResult predict = CliRunner.Run("predict", "--model", modelPath, "--data", input);
        Assert.True(predict.ExitCode == 0, predict.Error);
        string[] lines = predict.Output.Trim().Split('\n');
        Assert.Equal("default,probability", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("warning: ", predict.Error);
        Assert.Contains("2 cells hold categories not seen in training (job: 1, housing: 1)", predict.Error);

        // The CLI's predictions equal the library's raw-row prediction.
        using InferenceModel<float> inference = model.Freeze();
        var outputs = new float[2];
        int unseen = inference.PredictRow(new Dictionary<string, string?>
        {
            ["region"] = "?",
            ["job"] = "astronaut",
            ["housing"] = "boat",
            ["age"] = "NA",
            ["income"] = "",
            ["debt_ratio"] = "0.9",
            ["months_employed"] = "N/A",
            ["late_payments"] = "6",
        }, outputs);
        Assert.Equal(2, unseen);
        string[] second = lines[2].Split(',');
        float p = float.Parse(second[1], CultureInfo.InvariantCulture);
        Assert.Equal(outputs.Max(), p, 5);
        Assert.Equal(outputs[1] > outputs[0] ? "yes" : "no", second[0]);

        CliResult evaluate = CliRunner.Run("evaluate", "--model", modelPath, "--data", MixedCsv);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("on 1200 rows", evaluate.Output);
    }

    [Fact]
    public void The_schema_is_fitted_on_the_training_part_only()
    {
        // Every row has its own id, so the schema's id categories are exactly the training rows; x's fill value
        // must be the mean over those rows, not over all rows (x is large outside training on purpose: most rows).
        using TempFolder temp = CliRunner.Temp();
        var csv = new System.Text.StringBuilder("id,x,y\n");
        for (int i = 0; i < 100; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"r{i},{(i * 37) % 101},{i % 2}\n");
        }
        csv.Append("r100,NA,0\nr101,NA,1\n");
        string data = temp.File("ids.csv", csv.ToString());
        CliResult train = CliRunner.Run("train", "--data", data, "--split", "50/50", "--epochs", "1", "--out", temp.Path);
        Assert.True(train.ExitCode == 0, train.Error);
        var split = System.Text.RegularExpressions.Regex.Match(train.Output, @"train (\d+), validation (\d+)");
        int trainRows = int.Parse(split.Groups[1].Value, CultureInfo.InvariantCulture), validationRows = int.Parse(split.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(102, trainRows + validationRows);
        Assert.Contains($"Note: validation part: {validationRows} cells hold categories not seen in training (id: {validationRows})", train.Output);

        TabularSchema schema = Mlp<float>.Load(Path.Combine(temp.Path, "model.fastmlp")).Schema!;
        IReadOnlyList<string> trainIds = schema.Columns[0].Categories;
        Assert.Equal(trainRows, trainIds.Count);
        double[] trainX = [.. trainIds.Where(id => int.Parse(id[1..], CultureInfo.InvariantCulture) < 100)
                                      .Select(id => (double)(int.Parse(id[1..], CultureInfo.InvariantCulture) * 37 % 101))];
        double allMean = Enumerable.Range(0, 100).Average(i => (double)(i * 37 % 101));
        Assert.Equal(trainX.Average(), schema.Columns[1].FillValue, 9);
        Assert.NotEqual(allMean, schema.Columns[1].FillValue, 6);
    }

    [Fact]
    public void A_column_entirely_missing_is_refused_naming_it()
    {
        using TempFolder temp = CliRunner.Temp();
        string data = temp.File("d.csv", "a,empty,y\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{(i % 2 == 0 ? "NA" : "")},{i % 2}\n")));
        AssertError(CliRunner.Run("train", "--data", data, "--out", temp.Path, "--epochs", "1"), "d.csv", "column 2 ('empty')", "missing", "drop the column");
    }

    [Fact]
    public void A_column_with_thousands_of_categories_is_refused_with_the_advice_to_drop_it()
    {
        using TempFolder temp = CliRunner.Temp();
        string data = temp.File("d.csv", "customer,a,y\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"c{i:D5},{i % 7},{i % 2}\n")));
        AssertError(CliRunner.Run("train", "--data", data, "--out", temp.Path, "--epochs", "1"),
                    "d.csv", "column 1 ('customer')", "1800 distinct values", "more than 1000 categories", "drop the column");
    }

    [Theory]
    [InlineData("--categorical", "nope", "--categorical: ", "no column named 'nope'")]
    [InlineData("--numeric", "y", "--numeric: ", "'y' is the target column")]
    [InlineData("--numeric", "job", "line 3, column 2 ('job')", "'clerk' is not a number")]
    [InlineData("--categorical", "a,", "--categorical: ", "empty column name")]
    public void Column_options_are_checked_against_the_file(string option, string value, string where, string what)
    {
        using TempFolder temp = CliRunner.Temp();
        string data = temp.File("d.csv", "a,job,y\n1,2,0\n2,clerk,1\n3,nurse,0\n4,2,1\n5,clerk,0\n");
        AssertError(CliRunner.Run("train", "--data", data, "--out", temp.Path, "--epochs", "1", option, value), where, what);
    }

    [Fact]
    public void A_column_option_without_a_csv_is_refused()
    {
        AssertError(CliRunner.Run("train", "--dataset", "digits", "--missing-indicator"), "--missing-indicator: ", "--data CSV");
    }

    [Fact]
    public void Predict_names_file_line_and_column_of_a_bad_cell_and_a_missing_column()
    {
        using TempFolder temp = CliRunner.Temp();
        string data = temp.File("d.csv", "a,job,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{(i % 3 == 0 ? "clerk" : "nurse")},{i % 2}\n")));
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--out", temp.Path, "--epochs", "1", "--quiet").ExitCode);
        string model = Path.Combine(temp.Path, "model.fastmlp");
        AssertError(CliRunner.Run("predict", "--model", model, "--data", temp.File("p.csv", "job,a\nclerk,1\nnurse,many\n")),
                    "p.csv: line 3, column 2 ('a'): 'many' is not a number");
        AssertError(CliRunner.Run("predict", "--model", model, "--data", temp.File("q.csv", "a,role\n1,clerk\n")), "q.csv", "missing job", "unknown role");
        AssertError(CliRunner.Run("evaluate", "--model", model, "--data", temp.File("e.csv", "a,job,y\n1,clerk,0\nInfinity,nurse,1\n")),
                    "e.csv: line 3, column 1 ('a'): 'Infinity' is not a finite number");
        // Missing cells are imputed at prediction time too.
        CliResult ok = CliRunner.Run("predict", "--model", model, "--data", temp.File("m.csv", "a,job\nNA,\n"));
        Assert.True(ok.ExitCode == 0, ok.Error);
    }

    [Fact]
    public void Export_writes_one_input_per_column_for_a_model_with_categorical_columns()
    {
        using TempFolder temp = CliRunner.Temp();
        string data = temp.File("d.csv", "a,job,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{(i % 3 == 0 ? "clerk" : "nurse")},{i % 2}\n")));
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--out", temp.Path, "--epochs", "1", "--quiet").ExitCode);
        string onnx = Path.Combine(temp.Path, "m.onnx");
        CliResult r = CliRunner.Run("export", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--onnx", onnx);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("one input per column, [batch × 1] each: 'a' float (NaN = missing), 'job' string, output 'output' [batch × 2]", r.Output);
        Assert.True(File.Exists(onnx));
    }

    [Fact]
    public void Export_of_a_numeric_only_model_keeps_one_input_and_imputes_nan_like_predict()
    {
        using TempFolder temp = CliRunner.Temp();
        string data = temp.File("d.csv", "a,b,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{(i % 5 == 0 ? "NA" : i.ToString(CultureInfo.InvariantCulture))},{i % 4},{i % 2}\n")));
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--out", temp.Path, "--epochs", "1", "--impute", "median", "--quiet").ExitCode);
        string onnx = Path.Combine(temp.Path, "m.onnx");
        CliResult r = CliRunner.Run("export", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--onnx", onnx);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("input 'input' [batch × 2] (NaN = missing, imputed with the training median), output 'output' [batch × 2]", r.Output);
    }

    [Fact]
    public void Quantize_encodes_its_evaluation_csv_with_the_model_schema()
    {
        using TempFolder temp = CliRunner.Temp();
        Assert.Equal(0, CliRunner.Run("train", "--data", MixedCsv, "--target", "default", "--epochs", "3", "--out", temp.Path, "--quiet").ExitCode);
        string int8 = Path.Combine(temp.Path, "int8.fastmlp");
        CliResult r = CliRunner.Run("quantize", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--data", MixedCsv, "--out", int8);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.NotNull(Mlp<float>.Load(int8).Schema);
        CliResult predict = CliRunner.Run("predict", "--model", int8, "--data", MixedCsv);
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Equal(1201, predict.Output.Trim().Split('\n').Length);
    }
}
