using System.Diagnostics;

namespace FastMlp.Benchmarks;

/// <summary>
/// `quick-gemm`: a fast interleaved FastMlp-vs-OpenBLAS GFLOP/s check for tuning sessions.
/// Not a measurement of record — committed figures come from the BenchmarkDotNet runs.
/// </summary>
internal static class QuickCheck
{
    public static int Run(string[] shapes)
    {
        if (shapes.Length == 0)
        {
            shapes = new GemmBenchmarks().GetType().GetProperty(nameof(GemmBenchmarks.Shape))!
                .GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.ParamsAttribute), false)
                .Cast<BenchmarkDotNet.Attributes.ParamsAttribute>().Single().Values.Cast<string>().ToArray();
        }
        foreach (string spec in shapes)
        {
            // Optional transpose prefix, e.g. TN:784x128x64 (op(A) = Aᵀ).
            string shape = spec.Contains(':') ? spec[(spec.IndexOf(':') + 1)..] : spec;
            bool ta = spec.StartsWith("T", StringComparison.Ordinal) && spec.Contains(':');
            bool tb = spec.Contains(':') && spec[1] == 'T';
            var bench = new GemmBenchmarks { Shape = shape, TransposeA = ta, TransposeB = tb };
            bench.Setup();
            (int m, int n, int k) = GemmBenchmarks.Parse(shape);
            double flops = 2.0 * m * n * k;
            int reps = (int)Math.Clamp(2e9 / flops, 3, 200_000);
            double best = 0, bestBlas = 0;
            for (int round = 0; round < 5; round++)
            {
                best = Math.Max(best, Time(bench.FastMlp, reps, flops));
                if (OpenBlas.IsAvailable)
                {
                    bestBlas = Math.Max(bestBlas, Time(bench.OpenBLAS, reps, flops));
                }
            }
            Console.WriteLine($"{spec,-19} FastMlp {best,6:F1} GFLOP/s   OpenBLAS {bestBlas,6:F1} GFLOP/s   speed ratio {best / bestBlas:F3}");
            bench.Cleanup();
        }
        return 0;
    }

    /// <summary>`quick-threads m n k`: one GEMM on 1 and 2 threads.</summary>
    public static unsafe int RunThreads(string[] args)
    {
        int m = int.Parse(args[0]), n = int.Parse(args[1]), k = int.Parse(args[2]);
        var rng = new Random(1);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] c = new float[m * n];
        using var two = new FastMlp.Numerics.WorkerPool(2);
        foreach (FastMlp.Numerics.WorkerPool? pool in new[] { null, two, null, two })
        {
            Report($"{m}x{n}x{k} threads {pool?.Threads ?? 1}", () => FastMlp.Numerics.Gemm.Multiply(pool, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n));
        }
        return 0;
    }

    /// <summary>`quick-train`: best-of-rounds time per call of the train-step, epoch and predict cases.</summary>
    public static int RunTraining()
    {
        foreach (string network in new[] { "784-128-10 b64", "64-32-10 b32", "y=b+mx b10" })
        {
            var b = new TrainStepBenchmarks { Network = network };
            b.Setup();
            Report($"step {network}", () => b.Step());
            b.Cleanup();
        }
        foreach (string c in new[] { "784-128-10 x1", "784-128-10 x64", "64-32-10 x1" })
        {
            var b = new PredictBenchmarks { Case = c };
            b.Setup();
            Report($"predict {c}", b.Predict);
        }
        var e = new TrainEpochBenchmarks();
        e.Setup();
        Report("epoch 8000 rows b64", () => e.MnistEpoch8000());
        e.Cleanup();
        return 0;
    }

    /// <summary>Prints the best-of-rounds time per call of <paramref name="action"/> after a 500 ms warm-up.</summary>
    internal static void Report(string name, Action action)
    {
        // Warm up past tier-0 and on-stack replacement, then size rounds to ~100 ms.
        var probe = Stopwatch.StartNew();
        int reps = 0;
        while (probe.Elapsed.TotalMilliseconds < 500)
        {
            action();
            reps++;
        }
        reps = Math.Max(1, reps / 5);
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++)
            {
                action();
            }
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1e6 / reps);
        }
        Console.WriteLine($"{name,-24} {(best >= 1e6 ? $"{best / 1e6:F2} ms" : best >= 1e3 ? $"{best / 1e3:F2} µs" : $"{best:F1} ns"),12}");
    }

    private static double Time(Action action, int reps, double flops)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++)
        {
            action();
        }
        return flops * reps / sw.Elapsed.TotalSeconds / 1e9;
    }
}
