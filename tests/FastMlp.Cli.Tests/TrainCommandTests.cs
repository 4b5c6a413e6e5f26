using System.Globalization;
using System.Text.Json;

namespace FastMlp.Cli.Tests;

public sealed class TrainCommandTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void DefaultTrainWritesModelHistoryAndPlotAndReachesAccuracy()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--out", temp.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        double accuracy = json.RootElement.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy}");
        Assert.Equal("test", json.RootElement.GetProperty("evaluatedOn").GetString());
        Assert.True(File.Exists(Path.Combine(temp.Path, "model.fastmlp")));
        string[] history = File.ReadAllLines(Path.Combine(temp.Path, "history.csv"));
        Assert.StartsWith("epoch,train_loss,val_loss", history[0]);
        Assert.True(history.Length >= 3);
        AssertPng(Path.Combine(temp.Path, "loss.png"));
    }

    [Fact]
    public void HumanOutputHasEpochTableAndConfusionMatrix()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--layers", "32", "--epochs", "5", "--out", temp.Path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("val accuracy", r.Output);
        Assert.Contains("confusion matrix", r.Output);
        Assert.Contains("test accuracy", r.Output);
    }

    [Fact]
    public void PredictRoundTripsWithTrain()
    {
        using TempFolder temp = CliRunner.Temp();
        string csv = temp.File("xor.csv", Xor(200));
        CliResult train = CliRunner.Run("train", "--data", csv, "--target", "label", "--layers", "8", "--optimizer", "adam", "--lr", "0.05",
                                        "--epochs", "150", "--patience", "0", "--split", "80/20", "--out", temp.Path, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        string input = temp.File("in.csv", "b,a\n0.9,0.1\n0.1,0.1\n0.95,0.9\n0.05,0.85\n");
        string preds = temp.File("preds.csv");
        CliResult predict = CliRunner.Run("predict", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--data", input, "--out", preds);
        Assert.True(predict.ExitCode == 0, predict.Error);
        string[] lines = File.ReadAllLines(preds);
        Assert.Equal("label,probability", lines[0]);
        Assert.Equal(["yes", "no", "no", "yes"], lines.Skip(1).Select(l => l.Split(',')[0]).ToArray());

        CliResult stdin = CliRunner.RunWithInput("a,b\n0.1,0.9\n", "predict", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--data", "-");
        Assert.True(stdin.ExitCode == 0, stdin.Error);
        Assert.StartsWith("yes,", stdin.Output.Split('\n')[1]);

        CliResult evaluate = CliRunner.Run("evaluate", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--data", csv, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        using JsonDocument json = JsonDocument.Parse(evaluate.Output);
        Assert.True(json.RootElement.GetProperty("accuracy").GetDouble() > 0.9);
    }

    [Fact]
    public void RegressionCsvIsInferredAndReportsRSquared()
    {
        using TempFolder temp = CliRunner.Temp();
        var text = new System.Text.StringBuilder("x1,x2,y\n");
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{a},{b},{100 + 30 * a - 20 * b}\n");
        }
        string csv = temp.File("reg.csv", text.ToString());
        CliResult r = CliRunner.Run("train", "--data", csv, "--target", "y", "--layers", "none", "--batch-size", "full", "--optimizer", "sgd", "--lr", "0.3",
                                    "--epochs", "300", "--patience", "0", "--out", temp.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        Assert.True(json.RootElement.GetProperty("r2").GetDouble() > 0.99);
    }

    [Fact]
    public void DemoLinearRecoversTheLine()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("demo", "linear", "--epochs", "400", "--out", temp.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        Assert.InRange(json.RootElement.GetProperty("m").GetDouble(), 2.3, 2.7);
        Assert.InRange(json.RootElement.GetProperty("b").GetDouble(), -1.25, -0.75);
        AssertPng(Path.Combine(temp.Path, "demo-linear.png"));
        AssertPng(Path.Combine(temp.Path, "demo-linear-cost.png"));
    }

    [Fact]
    public void LrSweepMarksDivergenceAndPlots()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("lr-sweep", "--epochs", "4", "--out", temp.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        JsonElement[] runs = [.. json.RootElement.GetProperty("runs").EnumerateArray()];
        Assert.Equal(5, runs.Length);
        Assert.False(runs[1].GetProperty("diverged").GetBoolean());
        Assert.True(runs[3].GetProperty("diverged").GetBoolean());
        AssertPng(Path.Combine(temp.Path, "lr-sweep.png"));
    }

    [Fact]
    public void LrFindSuggestsARateAndPlots()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("lr-find", "--dataset", "digits", "--steps", "60", "--out", temp.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        double suggested = json.RootElement.GetProperty("suggested").GetDouble();
        Assert.InRange(suggested, 1e-5, 10);
        AssertPng(Path.Combine(temp.Path, "lr-find.png"));
    }

    [Fact]
    public void GradCheckPassesAndFailsWithExitCode()
    {
        CliResult pass = CliRunner.Run("gradcheck", "--layers", "4,6,3");
        Assert.True(pass.ExitCode == 0, pass.Output + pass.Error);
        Assert.Contains("pass", pass.Output);
        // A row per layer, then the whole network.
        Assert.Contains("1 (4→6)", pass.Output);
        Assert.Contains("2 (6→3)", pass.Output);
        Assert.Contains("all", pass.Output);
        // An impossible tolerance must fail with exit code 3.
        CliResult fail = CliRunner.Run("gradcheck", "--layers", "4,6,3", "--precision", "float", "--tolerance", "1e-30");
        Assert.Equal(3, fail.ExitCode);
        Assert.Contains("FAILED", fail.Output);
    }

    [Fact]
    public void HelpListsEveryCommandWithExamples()
    {
        CliResult r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string command in new[] { "train", "evaluate", "predict", "demo", "lr-sweep", "lr-find", "gradcheck", "bench" })
        {
            Assert.Contains(command, r.Output);
        }
        CliResult train = CliRunner.Run("train", "--help");
        Assert.Contains("Examples:", train.Output);
        Assert.Contains("--batch-size", train.Output);
    }

    internal static string Xor(int rows)
    {
        var text = new System.Text.StringBuilder("a,b,label\n");
        var random = new Random(5);
        for (int i = 0; i < rows; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{a:F3},{b:F3},{((a > 0.5) != (b > 0.5) ? "yes" : "no")}\n");
        }
        return text.ToString();
    }

    internal static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
    }
}

public sealed class DeployAndResumeTests
{
    [Fact]
    public void ExportWritesAnOnnxFileAndRejectsANonModel()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult train = CliRunner.Run("train", "--dataset", "digits", "--layers", "16", "--epochs", "2", "--out", temp.Path, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        string onnx = Path.Combine(temp.Path, "model.onnx");
        CliResult export = CliRunner.Run("export", "--model", Path.Combine(temp.Path, "model.fastmlp"), "--onnx", onnx);
        Assert.True(export.ExitCode == 0, export.Error);
        byte[] bytes = File.ReadAllBytes(onnx);
        Assert.True(bytes.Length > 64 * 16 * 4, $"ONNX file of {bytes.Length} bytes");
        Assert.Contains("input", System.Text.Encoding.ASCII.GetString(bytes));

        string bogus = temp.File("bogus.fastmlp", "not a model at all, just text");
        CliResult bad = CliRunner.Run("export", "--model", bogus, "--onnx", Path.Combine(temp.Path, "x.onnx"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not a FastMlp model", bad.Error);
        Assert.False(File.Exists(Path.Combine(temp.Path, "x.onnx")));
    }

    [Fact]
    public void ResumeFromACheckpointEndsWithTheSameModelAsAnUninterruptedRun()
    {
        using TempFolder temp = CliRunner.Temp();
        string full = Path.Combine(temp.Path, "full"), part = Path.Combine(temp.Path, "part");
        string[] common = ["train", "--dataset", "digits", "--layers", "16", "--patience", "0", "--threads", "1", "--quiet"];
        CliResult uninterrupted = CliRunner.Run([.. common, "--epochs", "4", "--out", full]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);

        // A run that stopped after 2 epochs (checkpointing every epoch), resumed up to 4.
        CliResult first = CliRunner.Run([.. common, "--epochs", "2", "--checkpoint-every", "1", "--out", part]);
        Assert.True(first.ExitCode == 0, first.Error);
        string checkpoint = Path.Combine(part, "checkpoint");
        Assert.True(File.Exists(Path.Combine(checkpoint, "checkpoint.safetensors")));
        Assert.False(File.ReadAllBytes(Path.Combine(full, "model.fastmlp")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(part, "model.fastmlp"))));
        CliResult resumed = CliRunner.Run("train", "--resume", checkpoint, "--epochs", "4", "--quiet");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.True(File.ReadAllBytes(Path.Combine(full, "model.fastmlp")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(part, "model.fastmlp"))),
                    "the resumed model differs from the uninterrupted one");
        Assert.Equal(CliRunner.WithoutTiming(uninterrupted.Output), CliRunner.WithoutTiming(resumed.Output));
    }

    [Fact]
    public void ResumeWithoutACheckpointNamesTheFolder()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--resume", temp.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--resume", r.Error);
        Assert.Contains("arguments.json", r.Error);
    }

    [Fact]
    public void ThreadsMustBePositive()
    {
        CliResult r = CliRunner.Run("train", "--threads", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--threads", r.Error);
    }
}
