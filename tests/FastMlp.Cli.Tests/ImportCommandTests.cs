using System.Globalization;
using System.Text.Json;
using FastMlp.TestFiles;

namespace FastMlp.Cli.Tests;

/// <summary><c>fastmlp import</c> end to end (a hand-built PyTorch state dict → model file → predict) and its bad inputs.</summary>
public sealed class ImportCommandTests
{
    // 3 → 2 (ReLU) → 2; for x = [3, 1, 2] the logits are [5, 2.25], for x = [0, 1, −1] they are [−1.75, 2.3125]
    // (worked out in FastMlp.Tests' PyTorchImportTests).
    private const string Rows = "x1,x2,x3\n3,1,2\n0,1,-1\n";

    private static string StateDict(TempFolder temp, string dtype = "F16") =>
        CliRunner.TorchStateDict(temp.File("state.safetensors"), dtype);

    [Fact]
    public void An_imported_classifier_predicts_class_names_and_softmax_probabilities()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = temp.File("m.fastmlp");
        CliResult import = CliRunner.Run("import", "--safetensors", StateDict(temp, "BF16"), "--activation", "relu", "--output", "softmax",
                                         "--out", model, "--class-names", "cat, dog");
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains($"Wrote {model}: 3-2-2, ReLU between layers, Softmax output, 14 parameters, classes cat, dog", import.Output);

        CliResult predict = CliRunner.Run("predict", "--model", model, "--data", temp.File("rows.csv", Rows));
        Assert.True(predict.ExitCode == 0, predict.Error);
        float first = 1 / (1 + MathF.Exp(-2.75f)), second = 1 / (1 + MathF.Exp(-4.0625f));
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"target,probability\ncat,{first:G6}\ndog,{second:G6}\n"), predict.Output);

        // The file records the loss evaluate needs: cross-entropy for a softmax classifier.
        Assert.Equal(Loss.SoftmaxCrossEntropy, Mlp<float>.Load(model).Loss);
        CliResult evaluate = CliRunner.Run("evaluate", "--model", model, "--data", temp.File("scored.csv", "x1,x2,x3,target\n3,1,2,cat\n0,1,-1,cat\n"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        using JsonDocument scored = JsonDocument.Parse(evaluate.Output);
        Assert.Equal(0.5, scored.RootElement.GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void Without_class_names_predict_prints_the_outputs()
    {
        using TempFolder temp = CliRunner.Temp();
        string model = temp.File("m.fastmlp");
        CliResult import = CliRunner.Run("import", "--safetensors", StateDict(temp), "--activation", "relu", "--output", "identity", "--out", model, "--json");
        Assert.True(import.ExitCode == 0, import.Error);
        using (JsonDocument json = JsonDocument.Parse(import.Output))
        {
            Assert.Equal([3, 2, 2], json.RootElement.GetProperty("layerSizes").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("ReLU", json.RootElement.GetProperty("activation").GetString());
            Assert.Equal(14, json.RootElement.GetProperty("parameters").GetInt32());
        }
        CliResult predict = CliRunner.Run("predict", "--model", model, "--data", temp.File("rows.csv", Rows));
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Equal("target_1,target_2\n5,2.25\n-1.75,2.3125\n", predict.Output.ReplaceLineEndings("\n"));
        Assert.Equal(Loss.MeanSquaredError, Mlp<float>.Load(model).Loss);
    }

    [Fact]
    public void Layers_that_do_not_chain_are_one_line_naming_the_tensors_and_nothing_is_written()
    {
        using TempFolder temp = CliRunner.Temp();
        string state = new TorchStateDictFile().Linear(0, "F32", new double[4, 3], new double[4]).Linear(2, "F32", new double[2, 5], new double[2])
                                               .WriteTo(temp.File("bad.safetensors"));
        string model = temp.File("m.fastmlp", "earlier");
        CliResult r = CliRunner.Run("import", "--safetensors", state, "--activation", "relu", "--output", "softmax", "--out", model);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: --safetensors: {state}: the layers do not chain: '2.weight' has shape [2, 5] and takes 5 inputs, " +
                     "but the layer before it, '0.weight' [4, 3], gives 4 outputs.", r.Error.TrimEnd());
        Assert.Equal("earlier", File.ReadAllText(model));
        Assert.Single(Directory.GetFiles(temp.Path, "*.fastmlp*"));
    }

    [Theory]
    [InlineData("identity", "a,b", "2 names for a model with 2 outputs and a Identity output")]
    [InlineData("softmax", "a,b,c", "3 names for a model with 2 outputs")]
    [InlineData("softmax", "a,,b", "has an empty name")]
    [InlineData("softmax", "a,a", "'a' appears more than once")]
    public void Class_names_that_do_not_fit_the_model_are_refused(string output, string names, string message)
    {
        using TempFolder temp = CliRunner.Temp();
        string model = temp.File("m.fastmlp");
        CliResult r = CliRunner.Run("import", "--safetensors", StateDict(temp), "--activation", "relu", "--output", output, "--out", model, "--class-names", names);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: --class-names: ", r.Error);
        Assert.Contains(message, r.Error);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void A_model_file_is_not_a_state_dict()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("import", "--safetensors", CliRunner.DigitsModel, "--activation", "relu", "--output", "softmax", "--out", temp.File("m.fastmlp"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("tensor 'layers.0.bias' is not a Linear layer's 'N.weight' or 'N.bias'", r.Error);
        Assert.DoesNotContain("\n", r.Error.TrimEnd());
    }
}
