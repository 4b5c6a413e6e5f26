using System.Text.Json;

namespace FastMlp.Cli.Tests;

public sealed class QuantizeCommandTests
{
    [Fact]
    public void Quantize_reports_before_and_after_and_the_int8_file_works_everywhere()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult train = CliRunner.Run("train", "--dataset", "digits", "--layers", "64", "--epochs", "15", "--out", temp.Path, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        string model = Path.Combine(temp.Path, "model.fastmlp"), int8 = Path.Combine(temp.Path, "int8", "model-int8.fastmlp");

        CliResult human = CliRunner.Run("quantize", "--model", model, "--out", int8, "--dataset", "digits");
        Assert.True(human.ExitCode == 0, human.Error);
        Assert.Contains("1 of 2 layers int8", human.Output);
        Assert.Contains("predict, 64 rows", human.Output);

        CliResult r = CliRunner.Run("quantize", "--model", model, "--out", int8, "--dataset", "digits", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        double before = json.RootElement.GetProperty("accuracy").GetProperty("before").GetDouble();
        double after = json.RootElement.GetProperty("accuracy").GetProperty("after").GetDouble();
        Assert.True(before > 0.9, $"float accuracy {before}");
        Assert.InRange(after, before - 0.02, before + 0.02);
        Assert.True(new FileInfo(int8).Length < new FileInfo(model).Length / 2, "the int8 file is not smaller");

        // evaluate scores the int8 model as it runs: the accuracy and loss quantize reported (the dequantized
        // float weights would give another loss).
        double afterLoss = json.RootElement.GetProperty("loss").GetProperty("after").GetDouble();
        string csv = temp.File("digits.csv", DigitsCsv());
        CliResult evaluate = CliRunner.Run("evaluate", "--model", int8, "--data", csv, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        using JsonDocument scored = JsonDocument.Parse(evaluate.Output);
        Assert.Equal(after, scored.RootElement.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(afterLoss, scored.RootElement.GetProperty("loss").GetDouble(), 12);

        CliResult predict = CliRunner.Run("predict", "--model", int8, "--data", csv, "--out", temp.File("preds.csv"));
        Assert.True(predict.ExitCode == 0, predict.Error);
        string onnx = temp.File("model.onnx");
        CliResult export = CliRunner.Run("export", "--model", int8, "--onnx", onnx);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(ContainsSequence(File.ReadAllBytes(onnx), "MatMulInteger"u8.ToArray()), "the exported graph has no MatMulInteger");

        CliResult again = CliRunner.Run("quantize", "--model", int8, "--out", temp.File("twice.fastmlp"), "--dataset", "digits");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already Int8", again.Error);
    }

    [Fact]
    public void Regression_models_report_rmse()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult train = CliRunner.Run("train", "--dataset", "diabetes", "--layers", "32", "--epochs", "30", "--out", temp.Path, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        CliResult r = CliRunner.Run("quantize", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--out", temp.File("int8.fastmlp"), "--dataset", "diabetes", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        double before = json.RootElement.GetProperty("rmse").GetProperty("before").GetDouble();
        double after = json.RootElement.GetProperty("rmse").GetProperty("after").GetDouble();
        Assert.InRange(after / before, 0.9, 1.1);
    }

    [Fact]
    public void Bad_inputs_name_the_problem()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult missing = CliRunner.Run("quantize", "--model", temp.File("none.fastmlp"), "--out", temp.File("x.fastmlp"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.fastmlp: model file not found", missing.Error);

        CliResult train = CliRunner.Run("train", "--dataset", "diabetes", "--layers", "16", "--epochs", "2", "--out", temp.Path, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        string model = Path.Combine(temp.Path, "model.fastmlp");
        CliResult noData = CliRunner.Run("quantize", "--model", model, "--out", temp.File("x.fastmlp"));
        Assert.Equal(1, noData.ExitCode);
        Assert.Contains("give evaluation data with --data", noData.Error);
        Assert.False(File.Exists(temp.File("x.fastmlp")));

        CliResult wrongSet = CliRunner.Run("quantize", "--model", model, "--out", temp.File("x.fastmlp"), "--dataset", "digits");
        Assert.Equal(1, wrongSet.ExitCode);
        Assert.Contains("classification set, but the model does regression", wrongSet.Error);
        Assert.DoesNotContain("   at ", wrongSet.Error);
    }

    [Fact]
    public void Bench_includes_int8_predict()
    {
        CliResult r = CliRunner.Run("bench", "--seconds", "0.03", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        Assert.True(json.RootElement.GetProperty("int8Predict1Seconds").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("int8Predict64Seconds").GetDouble() > 0);
        Assert.Equal(FastMlp.Numerics.Int8Paths.Active.ToString(), json.RootElement.GetProperty("int8Path").GetString());
    }

    private static bool ContainsSequence(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static string DigitsCsv()
    {
        using Stream stream = typeof(Program).Assembly.GetManifestResourceStream("FastMlp.Cli.Datasets.digits.csv")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
