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
        foreach (string shape in shapes)
        {
            var bench = new GemmBenchmarks { Shape = shape };
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
            Console.WriteLine($"{shape,-16} FastMlp {best,6:F1} GFLOP/s   OpenBLAS {bestBlas,6:F1} GFLOP/s   speed ratio {best / bestBlas:F3}");
            bench.Cleanup();
        }
        return 0;
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
