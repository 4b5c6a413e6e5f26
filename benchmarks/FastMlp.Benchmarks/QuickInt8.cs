using System.Diagnostics;
using FastMlp.Numerics;

namespace FastMlp.Benchmarks;

/// <summary>
/// `quick-int8 [m n k …]`: the int8 kernel alone (G multiply-adds per second) on every supported int8 path,
/// and Predict float vs int8 for 784-128-10 and 784-256-128-10, for tuning sessions (Stopwatch, best of
/// rounds). Not a measurement of record — committed figures come from the BenchmarkDotNet runs.
/// </summary>
internal static unsafe class QuickInt8
{
    public static int Run(string[] args)
    {
        int[] shape = args.Length >= 3 ? args.Select(int.Parse).ToArray() : [64, 128, 784, 1, 128, 784, 64, 256, 784];
        for (int s = 0; s + 2 < shape.Length; s += 3)
        {
            int m = shape[s], n = shape[s + 1], k = shape[s + 2];
            var rng = new Random(1);
            sbyte[] q = Enumerable.Range(0, k * n).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
            var layer = new QuantizedLayer(k, n, Activation.Identity, q, new float[n], new float[n]);
            int lda = layer.Quads * 4;
            byte[] a = GC.AllocateArray<byte>(m * lda, pinned: true);
            int[] c = GC.AllocateArray<int>(m * layer.PaddedOutputs, pinned: true);
            rng.NextBytes(a);
            for (int i = 0; i < a.Length; i++) a[i] &= 127;
            foreach (Int8Path path in Int8Dispatch.SupportedPaths.Where(p => p != Int8Path.Scalar))
            {
                double best = 0;
                fixed (byte* pa = a)
                fixed (int* pc = c)
                {
                    byte* aa = pa;
                    int* cc = pc;
                    long reps = Math.Clamp(200_000_000L / ((long)m * n * k), 3, 1_000_000);
                    for (int round = 0; round < 7; round++)
                    {
                        var sw = Stopwatch.StartNew();
                        for (long r = 0; r < reps; r++)
                        {
                            Int8Gemm.Multiply(path, m, layer.PaddedOutputs, layer.Quads, aa, lda, layer.Packed, cc, layer.PaddedOutputs);
                        }
                        best = Math.Max(best, (double)m * n * k * reps / sw.Elapsed.TotalSeconds / 1e9);
                    }
                }
                Console.WriteLine($"int8 {m}x{n}x{k} {path,-9} {best,7:F1} G MAC/s");
                if (m % 4 == 0 && path == Int8Paths.Active)
                {
                    // The same product as Predict runs it: one call per block of 4 rows.
                    double blocks = 0;
                    fixed (byte* pa = a)
                    fixed (int* pc = c)
                    {
                        byte* aa = pa;
                        int* cc = pc;
                        blocks = 1e-6 * Best(() =>
                        {
                            for (int i = 0; i < m; i += 4)
                            {
                                Int8Gemm.Multiply(path, 4, layer.PaddedOutputs, layer.Quads, aa + (i * lda), lda, layer.Packed, cc + (i * layer.PaddedOutputs), layer.PaddedOutputs);
                            }
                        });
                    }
                    Console.WriteLine($"int8 {m}x{n}x{k} {path,-9} {(double)m * n * k / blocks / 1e9,7:F1} G MAC/s in blocks of 4 rows");
                }
            }
        }
        {
            var rng = new Random(3);
            float[] rows = Enumerable.Range(0, 64 * 784).Select(_ => (float)rng.NextDouble()).ToArray();
            byte[] q = GC.AllocateArray<byte>(64 * 784, pinned: true);
            fixed (byte* pq = q)
            {
                byte* qq = pq;
                double us = Best(() =>
                {
                    for (int r = 0; r < 64; r++)
                    {
                        ActivationQuantizer.Quantize(rows.AsSpan(r * 784, 784), qq + (r * 784));
                    }
                });
                Console.WriteLine($"quantize 64 rows × 784: {us:F2} µs");
                double minMax = Best(() =>
                {
                    float sink = 0;
                    for (int r = 0; r < 64; r++)
                    {
                        sink += System.Numerics.Tensors.TensorPrimitives.Min<float>(rows.AsSpan(r * 784, 784)) + System.Numerics.Tensors.TensorPrimitives.Max<float>(rows.AsSpan(r * 784, 784));
                    }
                    GC.KeepAlive(sink);
                });
                Console.WriteLine($"  of which min + max: {minMax:F2} µs");
            }
        }
        foreach (string network in new[] { "784-128-10", "784-256-128-10", "784-128-10", "784-256-128-10" })
        {
            int[] sizes = network.Split('-').Select(int.Parse).ToArray();
            InferenceModel<float> full = new Mlp<float>(sizes, Activation.ReLU, Activation.Softmax, 1).Freeze();
            InferenceModel<float> int8 = full.Quantize(WeightPrecision.Int8);
            foreach (int rows in new[] { 1, 64 })
            {
                var rng = new Random(2);
                float[] x = Enumerable.Range(0, rows * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
                float[] y = new float[rows * sizes[^1]];
                double f = Best(() => full.Predict(x, y, rows)), i = Best(() => int8.Predict(x, y, rows));
                Console.WriteLine($"{network} x{rows}: float {f:F2} µs, int8 {i:F2} µs, ratio {f / i:F2}");
            }
        }
        return 0;
    }

    private static double Best(Action call)
    {
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            var sw = Stopwatch.StartNew();
            int reps = 0;
            while (sw.ElapsedMilliseconds < 40)
            {
                call();
                reps++;
            }
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / reps);
        }
        return best;
    }

    /// <summary>
    /// `int8-hash`: a hash of Int8 predictions of ReLU networks whose layers are all int8. Integer sums are exact
    /// and the float steps are the same IEEE operations everywhere, so the hash is the same on every path and CPU
    /// (x64 under each FASTMLP_ISA, Arm64 SDOT under QEMU).
    /// </summary>
    public static int Hash()
    {
        Console.WriteLine($"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}; int8 path {Int8Paths.Active}; supported {string.Join(",", Int8Paths.Supported)}");
        ulong hash = 14695981039346656037UL; // FNV-1a
        foreach (int[] sizes in new[] { new[] { 37, 64, 33, 17 }, new[] { 784, 128, 16 }, new[] { 5, 16, 16 } })
        {
            InferenceModel<float> int8 = new Mlp<float>(sizes, Activation.ReLU, Activation.Identity, 3).Freeze().Quantize(WeightPrecision.Int8);
            foreach (int batch in new[] { 1, 2, 3, 4, 5, 7, 13, 64 })
            {
                var rng = new Random(batch);
                float[] x = Enumerable.Range(0, batch * sizes[0]).Select(_ => (float)((rng.NextDouble() * 6) - 3)).ToArray();
                float[] y = new float[batch * sizes[^1]];
                int8.Predict(x, y, batch);
                foreach (byte b in System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan()))
                {
                    hash = (hash ^ b) * 1099511628211UL;
                }
            }
        }
        Console.WriteLine(hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }
}
