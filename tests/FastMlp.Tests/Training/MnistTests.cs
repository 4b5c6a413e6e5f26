using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace FastMlp.Tests.Training;

public class MnistTests(ITestOutputHelper output)
{
    // "For any seed": the weights' seed and the shuffling seed both vary.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mlp_784_128_10_reaches_95_5_percent_on_the_last_2000_rows(int seed)
    {
        Dataset<float> all = IdxReader.LoadImagesAndLabels<float>(
            TestPaths.Dataset("mnist10k-images-idx3-ubyte.gz"), TestPaths.Dataset("mnist10k-labels-idx1-ubyte.gz"));
        Assert.Equal(10_000, all.Rows);
        Assert.Equal(784, all.FeatureCount);
        Dataset<float> train = all.Slice(0, 8000), test = all.Slice(8000, 2000);

        var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.1, momentum: 0.9),
            BatchSize = 64,
            Epochs = 10,
            Seed = seed,
        });
        var clock = Stopwatch.StartNew();
        TrainingHistory history = trainer.Fit(train, null);
        double seconds = clock.Elapsed.TotalSeconds;
        EvaluationResult result = trainer.Evaluate(test);
        output.WriteLine($"10 epochs in {seconds:F2} s (epochs: {string.Join(", ", history.Seconds.ToArray().Select(s => s.ToString("F3")))}); test accuracy {result.Accuracy:P2}, loss {result.Loss:F4}");
        Assert.Equal(TrainingStatus.Completed, history.Status);
        Assert.True(result.Accuracy >= 0.955, $"test accuracy {result.Accuracy:P2}");

        // Inference agrees with evaluation on every test row: the same predicted class for each row
        // (so the same accuracy and confusion matrix) and the same mean cross-entropy.
        InferenceModel<float> frozen = model.Freeze();
        var probabilities = new float[test.Rows * 10];
        frozen.Predict(test.Features.Span, probabilities, test.Rows);
        ReadOnlySpan<int> labels = test.Labels.Span;
        var confusion = new int[10, 10];
        double crossEntropy = 0;
        for (int r = 0; r < test.Rows; r++)
        {
            ReadOnlySpan<float> row = probabilities.AsSpan(r * 10, 10);
            Assert.Equal(1f, row.ToArray().Sum(), 1e-5f);
            int predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
            confusion[labels[r], predicted]++;
            crossEntropy -= Math.Log(Math.Max(row[labels[r]], 1e-30));
        }
        Assert.NotNull(result.ConfusionMatrix);
        Assert.Equal(confusion, result.ConfusionMatrix);
        int correct = Enumerable.Range(0, 10).Sum(c => confusion[c, c]);
        Assert.Equal((double)correct / test.Rows, result.Accuracy, 12);
        Assert.Equal(crossEntropy / test.Rows, result.Loss, 4);
    }
}
