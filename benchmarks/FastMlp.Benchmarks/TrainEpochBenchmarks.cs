using BenchmarkDotNet.Attributes;

namespace FastMlp.Benchmarks;

/// <summary>One epoch of Fit over 8000 MNIST-shaped rows (784 → 128 → 10, batch 64, SGD momentum).</summary>
[BenchmarkCategory("Train")]
public class TrainEpochBenchmarks
{
    private Trainer<float> _trainer = null!;
    private Dataset<float> _train = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        const int rows = 8000;
        float[] x = Enumerable.Range(0, rows * 784).Select(_ => (float)rng.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(_ => rng.Next(10)).ToArray();
        _train = Dataset<float>.ForClassification(x, labels, 784, 10);
        var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        _trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.01, momentum: 0.9),
            BatchSize = 64,
            Epochs = 1,
        });
        _trainer.Fit(_train, null);
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark]
    public int MnistEpoch8000() => _trainer.Fit(_train, null).EpochCount;
}
