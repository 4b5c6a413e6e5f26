using FastMlp.Numerics;

namespace FastMlp.Tests.Training;

/// <summary>
/// Dispose racing a running call, repeated, run in a child process by <see cref="ConcurrencyTests"/> (exit 0 = no
/// failure seen; a use-after-free kills the process or shows up as a changed guard pattern). Each round frees
/// the pool's blocks (<see cref="ArenaPool.Trim"/>) and at once claims and fills fresh native memory, so a call
/// still writing to what was freed corrupts something that is checked.
/// </summary>
internal static class DisposeScenarios
{
    public static int DisposeDuringFit(int repeats)
    {
        var random = new Random(12345);
        (Dataset<float> train, Dataset<float> validation) = Data(random, rows: 1500, features: 64, classes: 4);
        int stoppedMidFit = 0, disposedBeforeStart = 0, completed = 0;
        for (int i = 0; i < repeats; i++)
        {
            var model = new Mlp<float>([64, 256, 4], Activation.ReLU, Activation.Softmax, seed: i);
            var trainer = new Trainer<float>(model, new TrainerOptions<float>
            {
                Loss = Loss.SoftmaxCrossEntropy,
                Optimizer = Optimizer.Adam(1e-3),
                BatchSize = 64,
                Epochs = i % 10 == 0 ? 1 : 100,
                Threads = i % 2 == 0 ? 1 : 2,
            });
            Exception? failure = null;
            string? stopMessage = null;
            var fit = new Thread(() =>
            {
                try
                {
                    trainer.Fit(train, validation);
                    completed++;
                }
                catch (ObjectDisposedException e)
                {
                    stopMessage = e.Message;
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            fit.Start();
            Thread.Sleep(random.Next(0, 4));
            trainer.Dispose();
            ArenaPool.Shared.Trim();
            if (!ClaimAndCheck(random, fit))
            {
                Console.Error.WriteLine($"round {i}: memory freed by Dispose was written after Dispose returned");
                return 1;
            }
            if (failure is not null)
            {
                Console.Error.WriteLine($"round {i}: Fit failed with {failure}");
                return 1;
            }
            if (stopMessage is not null)
            {
                if (stopMessage.Contains("while Fit was running", StringComparison.Ordinal)) stoppedMidFit++;
                else disposedBeforeStart++;
            }
        }
        Console.WriteLine($"stopped mid-fit {stoppedMidFit}, disposed before the fit started {disposedBeforeStart}, completed {completed}");
        return 0;
    }

    public static int DisposeDuringPredict(int repeats)
    {
        var random = new Random(54321);
        var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        float[] x = [.. Enumerable.Range(0, 256 * 784).Select(_ => (float)random.NextDouble())];
        int stopped = 0;
        for (int i = 0; i < repeats; i++)
        {
            InferenceModel<float> frozen = model.Freeze(threads: 2);
            Exception? failure = null;
            bool disposedSeen = false;
            var predict = new Thread(() =>
            {
                var y = new float[256 * 10];
                try
                {
                    for (int n = 0; n < 10_000 && !Volatile.Read(ref disposedSeen); n++)
                    {
                        frozen.Predict(x, y, 256);
                    }
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref stopped);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            predict.Start();
            Thread.Sleep(random.Next(0, 3));
            frozen.Dispose();
            Volatile.Write(ref disposedSeen, true);
            ArenaPool.Shared.Trim();
            predict.Join();
            if (failure is not null)
            {
                Console.Error.WriteLine($"round {i}: Predict failed with {failure}");
                return 1;
            }
        }
        Console.WriteLine($"predict stopped by dispose {stopped}");
        return 0;
    }

    public static int DisposeDuringPackedMultiply(int repeats)
    {
        var random = new Random(999);
        const int k = 512, n = 512, m = 32;
        float[] b = [.. Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble())];
        float[] a = [.. Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble())];
        int stopped = 0;
        for (int i = 0; i < repeats; i++)
        {
            PackedMatrix<float> packed = Gemm.Pack(false, k, n, b, n);
            var expected = new float[m * n];
            Gemm.Multiply(false, m, 1f, a, k, packed, 0f, expected, n);
            Exception? failure = null;
            var multiply = new Thread(() =>
            {
                var c = new float[m * n];
                try
                {
                    for (int r = 0; r < 100_000; r++)
                    {
                        Gemm.Multiply(false, m, 1f, a, k, packed, 0f, c, n);
                        // A product that read the freed (and refilled) panels differs from the first one.
                        if (!c.AsSpan().SequenceEqual(expected))
                        {
                            throw new InvalidOperationException($"multiply {r} read freed memory: its product changed");
                        }
                    }
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref stopped);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            multiply.Start();
            Thread.Sleep(random.Next(0, 3));
            packed.Dispose();
            if (!ClaimAndCheck(random, multiply))
            {
                Console.Error.WriteLine($"round {i}: memory freed by Dispose was written after Dispose returned");
                return 1;
            }
            if (failure is not null)
            {
                Console.Error.WriteLine($"round {i}: Multiply failed with {failure}");
                return 1;
            }
        }
        Console.WriteLine($"multiply stopped by dispose {stopped}");
        return 0;
    }

    /// <summary>
    /// Takes fresh native blocks of several sizes (glibc hands back what was just freed), fills them with a
    /// pattern while the racing thread finishes, and reports whether the pattern survived.
    /// </summary>
    private static unsafe bool ClaimAndCheck(Random random, Thread racing)
    {
        var layout = new ArenaLayout();
        ArenaBuffer<uint> small = layout.Add<uint>("small", 16 * 1024);
        ArenaBuffer<uint> large = layout.Add<uint>("large", 256 * 1024);
        using Arena arena = Arena.Allocate(layout);
        uint pattern = (uint)random.Next() | 1;
        arena.Span(small).Fill(pattern);
        arena.Span(large).Fill(pattern);
        racing.Join();
        return !arena.Span(small).ContainsAnyExcept(pattern) && !arena.Span(large).ContainsAnyExcept(pattern);
    }

    private static (Dataset<float> Train, Dataset<float> Validation) Data(Random random, int rows, int features, int classes)
    {
        float[] x = [.. Enumerable.Range(0, rows * features).Select(_ => (float)random.NextDouble())];
        int[] labels = [.. Enumerable.Range(0, rows).Select(_ => random.Next(classes))];
        Dataset<float> all = Dataset<float>.ForClassification(x, labels, features, classes);
        Dataset<float>[] parts = all.Split(1, 0.8, 0.2);
        return (parts[0], parts[1]);
    }
}
