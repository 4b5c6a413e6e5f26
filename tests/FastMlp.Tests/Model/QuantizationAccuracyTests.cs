using Xunit;
using Xunit.Abstractions;

namespace FastMlp.Tests.Model;

public class QuantizationAccuracyTests(ITestOutputHelper output)
{
    /// <summary>The README's MNIST reference recipe, quantized: the test accuracy drops by at most 0.3 points.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mnist_reference_recipe_loses_at_most_0_3_points_when_quantized(int seed)
    {
        Dataset<float> all = IdxReader.LoadImagesAndLabels<float>(
            TestPaths.Dataset("mnist10k-images-idx3-ubyte.gz"), TestPaths.Dataset("mnist10k-labels-idx1-ubyte.gz"));
        Dataset<float> train = all.Slice(0, 8000), test = all.Slice(8000, 2000);
        var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed);
        using (var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd(0.1, momentum: 0.9), BatchSize = 64, Epochs = 10, Seed = seed,
        }))
        {
            trainer.Fit(train, null);
        }
        InferenceModel<float> full = model.Freeze();
        InferenceModel<float> int8 = full.Quantize(WeightPrecision.Int8);
        double before = full.Evaluate(test).Accuracy, after = int8.Evaluate(test).Accuracy;
        output.WriteLine($"seed {seed}: float {before:P2}, int8 {after:P2} ({(after - before) * 100:+0.00;-0.00} points)");
        Assert.True(after >= before - 0.003, $"seed {seed}: float {before:P2}, int8 {after:P2}");
    }
}
