using System.Diagnostics;
using System.Globalization;
using FastMlp.Numerics;

namespace FastMlp.Cli;

/// <summary>
/// The `fastmlp` tool. Until the training commands land, its default job is the GEMM demo:
/// check every SIMD path against the scalar reference on the MLP shapes, then time the active one.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] is "-h" or "--help")
            {
                Console.WriteLine("fastmlp — fast multilayer perceptrons for .NET\n\nUsage: fastmlp [gemm]\n  gemm (default)  verify every GEMM path against the scalar reference and time the active path");
                return 0;
            }
            if (args.Length > 0 && args[0] != "gemm")
            {
                Console.Error.WriteLine($"error: unknown command '{args[0]}'. Run 'fastmlp --help'.");
                return 2;
            }
            return GemmDemo();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int GemmDemo()
    {
        Console.WriteLine($"GEMM path: {Gemm.ActivePath} (this CPU supports: {string.Join(", ", Gemm.SupportedPaths)}; force one with FASTMLP_ISA)");
        (int M, int N, int K)[] shapes = [(64, 128, 784), (64, 10, 128), (128, 256, 256), (256, 256, 256), (1, 128, 784)];
        var rng = new Random(42);
        bool allOk = true;
        foreach ((int m, int n, int k) in shapes)
        {
            float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n], reference = new float[m * n];
            Gemm.Multiply(GemmPath.Scalar, false, false, m, n, k, 1f, a, k, b, n, 0f, reference, n);
            string check = "";
            foreach (GemmPath path in Gemm.SupportedPaths)
            {
                Gemm.Multiply(path, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                double err = MaxRelativeError(c, reference);
                bool ok = err < 1e-4;
                allOk &= ok;
                check += $" {path}:{(ok ? "ok" : $"FAIL({err:G2})")}";
            }
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            int reps = (int)Math.Clamp(3e8 / (2.0 * m * n * k), 10, 100_000);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++)
            {
                Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            }
            double seconds = sw.Elapsed.TotalSeconds / reps;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m,5} × {n,4} × {k,4}  {seconds * 1e6,9:F2} µs  {2.0 * m * n * k / seconds / 1e9,6:F1} GFLOP/s  vs reference:{check}"));
        }
        Console.WriteLine(allOk ? "All paths agree with the scalar reference." : "Some paths disagree with the scalar reference!");
        Console.WriteLine("(Quick timing; measured figures come from the BenchmarkDotNet suite, see README.)");
        return allOk ? 0 : 1;
    }

    private static float[] Fill(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return x;
    }

    private static double MaxRelativeError(float[] x, float[] y)
    {
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(x[i] - y[i]) / (1 + Math.Abs(y[i])));
        }
        return worst;
    }
}
