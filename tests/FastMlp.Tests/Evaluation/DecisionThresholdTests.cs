using System.Text;
using FastMlp.Serialization;
using Xunit;

namespace FastMlp.Tests.Evaluation;

/// <summary>The binary decision threshold: validated, saved, loaded (hardened), copied by Freeze, used by Evaluate.</summary>
public class DecisionThresholdTests
{
    /// <summary>One input, one sigmoid output, weight 1 and bias 0: the probability of a row is σ(x).</summary>
    private static Mlp<double> Sigmoid()
    {
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Sigmoid, 1);
        model.SetWeights(0, [1.0]);
        model.SetBiases(0, [0.0]);
        model.Loss = Loss.BinaryCrossEntropy;
        return model;
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    // Probabilities 0.3, 0.6, 0.8, 0.65 for labels 0, 1, 1, 0.
    private static Dataset<double> Rows() =>
        Dataset<double>.ForClassification([Logit(0.3), Logit(0.6), Logit(0.8), Logit(0.65)], [0, 1, 1, 0], 1, 2);

    [Fact]
    public void The_default_is_one_half_and_is_not_written()
    {
        Mlp<double> model = Sigmoid();
        Assert.Equal(0.5, model.DecisionThreshold);
        var stream = new MemoryStream();
        model.Save(stream);
        Assert.DoesNotContain("decision_threshold", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Values_outside_the_open_unit_interval_are_refused(double threshold)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Sigmoid().DecisionThreshold = threshold);
        Assert.Contains("strictly between 0 and 1", e.Message);
    }

    [Fact]
    public void A_multi_class_network_takes_no_threshold()
    {
        var model = new Mlp<float>([2, 3], Activation.ReLU, Activation.Softmax, 1);
        var e = Assert.Throws<InvalidOperationException>(() => model.DecisionThreshold = 0.3);
        Assert.Contains("3 outputs", e.Message);
        model.DecisionThreshold = 0.5;
    }

    [Fact]
    public void Evaluate_and_PredictedClass_use_the_threshold_carried_through_save_load_and_freeze()
    {
        Mlp<double> model = Sigmoid();
        Assert.Equal(new int[,] { { 1, 1 }, { 0, 2 } }, model.Freeze().Evaluate(Rows()).ConfusionMatrix);
        model.DecisionThreshold = 0.7;
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        InferenceModel<double> loaded = InferenceModel<double>.Load(stream);
        Assert.Equal(0.7, loaded.DecisionThreshold);
        Assert.Equal(0.7, model.Clone().DecisionThreshold);
        Assert.Equal(new int[,] { { 2, 0 }, { 1, 1 } }, loaded.Evaluate(Rows()).ConfusionMatrix);
        Assert.Equal(0, loaded.PredictedClass([0.7]));
        Assert.Equal(1, loaded.PredictedClass([0.70001]));
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Loss = Loss.BinaryCrossEntropy });
        Assert.Equal(new int[,] { { 2, 0 }, { 1, 1 } }, trainer.Evaluate(Rows()).ConfusionMatrix);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("high")]
    public void An_invalid_threshold_in_a_file_is_a_format_error(string text)
    {
        var writer = new SafeTensors.Writer();
        ModelFile<double>.AddTo(Sigmoid(), writer);
        writer.Metadata["decision_threshold"] = text;
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        stream.Position = 0;
        var e = Assert.Throws<ModelFormatException>(() => Mlp<double>.Load(stream, "bad.fastmlp"));
        Assert.Contains("bad.fastmlp", e.Message);
        Assert.Contains(text == "high" ? "'decision_threshold' is 'high'" : "decision threshold", e.Message);
    }

    [Fact]
    public void PredictedClass_checks_the_row_length()
    {
        var e = Assert.Throws<ArgumentException>(() => Sigmoid().Freeze().PredictedClass([0.1, 0.9]));
        Assert.Contains("2 values, but the model has 1 outputs", e.Message);
    }
}
