using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// Work done on the pool's worker threads allocates nothing either: each worker's own counter is read
/// between passes (the calling thread's counter cannot see a worker's allocations).
/// </summary>
public class WorkerAllocationTests
{
    private sealed class SquareRoots(int parts) : IPartitionedWork
    {
        public readonly double[] Sums = new double[parts];

        public void Run(int part, int parts)
        {
            for (int i = 0; i < 64; i++)
            {
                Sums[part] += Math.Sqrt(i + part);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Pool_runs_allocate_nothing_on_any_thread(int threads)
    {
        using var pool = new WorkerPool(threads);
        var work = new SquareRoots(threads);
        int passes = Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                pool.Run(work, threads);
            }
        }, $"WorkerPool.Run on {threads} threads", pool);
        // Every part ran in every one of the passes × 500 runs.
        for (int part = 0; part < threads; part++)
        {
            double expected = passes * 500 * Enumerable.Range(0, 64).Sum(i => Math.Sqrt(i + part));
            Assert.True(Math.Abs(work.Sums[part] - expected) < 1e-9 * expected, $"part {part}: {work.Sums[part]} ≠ {expected}");
        }
    }

    private static (float[] X, float[] Y) Batch(int rows, int inputs, int outputs, int seed)
    {
        var random = new Random(seed);
        float[] x = Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble()).ToArray();
        float[] y = new float[rows * outputs];
        for (int r = 0; r < rows; r++) y[(r * outputs) + random.Next(outputs)] = 1;
        return (x, y);
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void A_two_thread_step_allocates_nothing_on_any_thread(string optimizer)
    {
        // 784·256 + 256 + 256·10 + 10 = 203,530 parameters: the update splits over both threads,
        // and the 64×784×256 products split too.
        var model = new Mlp<float>([784, 256, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        Assert.True(model.ParameterCount >= 2 * ParallelOptimizerUpdate<float>.MinimumPerPart);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            BatchSize = 64,
            Threads = 2,
            Optimizer = optimizer == "adam" ? Optimizer.Adam(1e-3, weightDecay: 1e-4) : Optimizer.Sgd(0.05, 0.9, nesterov: true),
        });
        (float[] x, float[] y) = Batch(64, 784, 10, 3);
        int passes = Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 10; i++) trainer.Step(x, y, 64);
        }, $"two-thread Step with {optimizer}", Allocations.PoolOf(trainer));
        Assert.Equal(10 * passes, trainer.StepCount);
    }

    [Fact]
    public void Two_thread_predictions_allocate_nothing_on_any_thread()
    {
        var model = new Mlp<float>([300, 256, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        using InferenceModel<float> frozen = model.Freeze(threads: 2);
        (float[] x, _) = Batch(64, 300, 10, 4);
        float[] y = new float[64 * 10];
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 20; i++) frozen.Predict(x, y, 64);
        }, "two-thread Predict", Allocations.PoolOf(frozen));
        Assert.Equal(64, y.Sum(), 3); // softmax rows sum to 1: the pass did run
    }
}

/// <summary>The caller blocking on a slow worker for the first time allocates nothing (the wait's lock object exists from the start).</summary>
public sealed class WorkerPoolBlockingTests
{
    private sealed class SlowWorker : FastMlp.Numerics.IPartitionedWork
    {
        public bool Slow { get; set; }

        public void Run(int part, int parts)
        {
            if (part > 0 && Slow)
            {
                Thread.Sleep(1000); // long enough for the caller to stop spinning and block
            }
        }
    }

    [Fact]
    public void The_first_blocking_wait_allocates_nothing()
    {
        using var pool = new FastMlp.Numerics.WorkerPool(2);
        var work = new SlowWorker();
        // Quick runs first (the caller spins and never blocks), so that only the first blocking wait is measured.
        for (int i = 0; i < 200; i++)
        {
            pool.Run(work, 2);
        }
        JitQuiet.Wait();
        work.Slow = true;
        long before = GC.GetAllocatedBytesForCurrentThread();
        pool.Run(work, 2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"the first Run that blocked allocated {allocated} B on the calling thread");
    }
}
