using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using FastMlp.Numerics;

namespace FastMlp.Benchmarks;

/// <summary>
/// C = A·B in float, one thread, over the shapes an MLP multiplies (M×N×K: batch × outputs × inputs),
/// FastMlp against OpenBLAS (the baseline) in the same run.
/// </summary>
[BenchmarkCategory("Gemm")]
public unsafe class GemmBenchmarks
{
    private float* _a, _b, _c;
    private int _m, _n, _k;

    [Params("64x128x784", "64x10x128", "128x256x256", "256x256x256", "512x512x512", "1024x1024x1024", "1x128x784")]
    public string Shape { get; set; } = "64x128x784";

    /// <summary>Tuning runs only (quick-gemm): multiply by Aᵀ / Bᵀ.</summary>
    internal bool TransposeA { get; set; }

    internal bool TransposeB { get; set; }

    public static (int M, int N, int K) Parse(string shape)
    {
        int[] d = shape.Split('x').Select(int.Parse).ToArray();
        return (d[0], d[1], d[2]);
    }

    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k) = Parse(Shape);
        _a = Allocate((long)_m * _k, 1);
        _b = Allocate((long)_k * _n, 2);
        _c = Allocate((long)_m * _n, 3);
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetNumThreads(1);
        }
        FastMlp();
    }

    /// <summary>A 64-byte aligned native buffer of uniform values in [−1, 1) (shared with the other suites).</summary>
    internal static float* Allocate(long length, int seed)
    {
        float* p = (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);
        var rng = new Random(seed);
        for (long i = 0; i < length; i++)
        {
            p[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return p;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_c);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("OpenBLAS")]
    public void OpenBLAS() =>
        OpenBlas.Sgemm(OpenBlas.RowMajor, TransposeA ? OpenBlas.Trans : OpenBlas.NoTrans, TransposeB ? OpenBlas.Trans : OpenBlas.NoTrans,
                       _m, _n, _k, 1f, _a, TransposeA ? _m : _k, _b, TransposeB ? _k : _n, 0f, _c, _n);

    [Benchmark]
    public void FastMlp() =>
        Gemm.Multiply(TransposeA, TransposeB, _m, _n, _k, 1f,
                      new ReadOnlySpan<float>(_a, _m * _k), TransposeA ? _m : _k,
                      new ReadOnlySpan<float>(_b, _k * _n), TransposeB ? _k : _n,
                      0f, new Span<float>(_c, _m * _n), _n);
}
