using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using FastMlp.Numerics;

namespace FastMlp.Benchmarks;

/// <summary>
/// The same work on 1 and 2 threads (this machine has 2 cores): a 1024³ sgemm, a training step of a
/// wide network (1024-1024-1024-10, batch 256) and of a small one (64-32-10, batch 32), which must
/// not get slower with a second thread.
/// </summary>
[BenchmarkCategory("Threads")]
public unsafe class ThreadScalingBenchmarks
{
    private WorkerPool? _pool;
    private Trainer<float>? _trainer;
    private float[] _x = [], _y = [];
    private float* _a, _b, _c;
    private int _batch;

    // Names stay within 20 characters: BenchmarkDotNet shortens longer parameter values in its results.
    [Params("sgemm 1024x1024x1024", "step 1024x3-10 b256", "step 64-32-10 b32")]
    public string Case { get; set; } = "sgemm 1024x1024x1024";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(4);
        if (Case.StartsWith("sgemm", StringComparison.Ordinal))
        {
            _pool = Threads > 1 ? new WorkerPool(Threads) : null;
            _a = GemmBenchmarks.Allocate(1024 * 1024, 1);
            _b = GemmBenchmarks.Allocate(1024 * 1024, 2);
            _c = GemmBenchmarks.Allocate(1024 * 1024, 3);
            Run();
            return;
        }
        int[] sizes = Case.Contains("1024", StringComparison.Ordinal) ? [1024, 1024, 1024, 10] : [64, 32, 10];
        _batch = Case.EndsWith("b256", StringComparison.Ordinal) ? 256 : 32;
        _x = Enumerable.Range(0, _batch * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[_batch * 10];
        for (int r = 0; r < _batch; r++) _y[(r * 10) + rng.Next(10)] = 1;
        var model = new Mlp<float>(sizes, Activation.ReLU, Activation.Softmax, seed: 1);
        _trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.01, momentum: 0.9),
            BatchSize = _batch,
            Threads = Threads,
        });
        Run();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer?.Dispose();
        _pool?.Dispose();
        if (_a != null)
        {
            NativeMemory.AlignedFree(_a);
            NativeMemory.AlignedFree(_b);
            NativeMemory.AlignedFree(_c);
        }
    }

    [Benchmark]
    public void Run()
    {
        if (_trainer is not null)
        {
            _trainer.Step(_x, _y, _batch);
            return;
        }
        Gemm.Multiply(_pool, false, false, 1024, 1024, 1024, 1f,
                      new ReadOnlySpan<float>(_a, 1024 * 1024), 1024, new ReadOnlySpan<float>(_b, 1024 * 1024), 1024,
                      0f, new Span<float>(_c, 1024 * 1024), 1024);
    }
}
