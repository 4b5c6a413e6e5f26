using BenchmarkDotNet.Attributes;


namespace FastMlp.Benchmarks;

/// <summary>
/// One training update (forward, loss, backward, SGD step), float, one thread, on the networks the
/// project's goals name: MNIST 784-128-10 (batch 64), a small 64-32-10 (batch 32) and the
/// y = b + m·x line (1-1, batch 10).
/// </summary>
[BenchmarkCategory("Train")]
public class TrainStepBenchmarks
{
    private const int Batches = 16;
    private protected Trainer<float> _trainer = null!;
    private protected float[][] _x = [], _y = [];
    private protected int _batch, _next;

    [Params("784-128-10 b64", "64-32-10 b32", "y=b+mx b10")]
    public string Network { get; set; } = "784-128-10 b64";

    [GlobalSetup]
    public void Setup()
    {
        (int[] sizes, int batch, bool classify) = Network switch
        {
            "784-128-10 b64" => (new[] { 784, 128, 10 }, 64, true),
            "64-32-10 b32" => (new[] { 64, 32, 10 }, 32, true),
            _ => (new[] { 1, 1 }, 10, false),
        };
        _batch = batch;
        var rng = new Random(1);
        // Several different batches, cycled, as in an epoch: one batch repeated would converge to
        // vanishing (denormal) gradients and measure something no training run does.
        _x = new float[Batches][];
        _y = new float[Batches][];
        for (int i = 0; i < Batches; i++)
        {
            float[] x = _x[i] = Enumerable.Range(0, batch * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
            float[] y = _y[i] = new float[batch * sizes[^1]];
            for (int r = 0; r < batch; r++)
            {
                if (classify) y[(r * sizes[^1]) + rng.Next(sizes[^1])] = 1f;
                else y[r] = 3f + (2f * x[r]) + (0.1f * (float)(rng.NextDouble() - 0.5));
            }
        }
        var model = new Mlp<float>(sizes, Activation.ReLU, classify ? Activation.Softmax : Activation.Identity, seed: 1);
        _trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = classify ? Loss.SoftmaxCrossEntropy : Loss.MeanSquaredError,
            Optimizer = Optimizer.Sgd(classify ? 0.1 : 0.01, momentum: classify ? 0.9 : 0),
            BatchSize = batch,
        });
        _trainer.Step(_x[0], _y[0], _batch);
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark]
    public float Step()
    {
        int i = _next;
        _next = (i + 1) & (Batches - 1);
        return _trainer.Step(_x[i], _y[i], _batch);
    }
}

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

/// <summary>Inference: a frozen model's Predict for one row and for a batch of 64.</summary>
[BenchmarkCategory("Predict")]
public class PredictBenchmarks
{
    private InferenceModel<float> _model = null!;
    private float[] _x = [], _y = [];
    private int _rows;

    [Params("784-128-10 x1", "784-128-10 x64", "64-32-10 x1")]
    public string Case { get; set; } = "784-128-10 x1";

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Case.StartsWith("784", StringComparison.Ordinal) ? [784, 128, 10] : [64, 32, 10];
        _rows = Case.EndsWith("x64", StringComparison.Ordinal) ? 64 : 1;
        var rng = new Random(3);
        _x = Enumerable.Range(0, _rows * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[_rows * sizes[^1]];
        _model = new Mlp<float>(sizes, Activation.ReLU, Activation.Softmax, seed: 1).Freeze();
        _model.Predict(_x, _y, _rows);
    }

    [Benchmark]
    public void Predict() => _model.Predict(_x, _y, _rows);
}
