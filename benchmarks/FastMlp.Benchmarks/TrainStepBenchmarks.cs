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
