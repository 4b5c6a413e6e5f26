using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastMlp.Numerics;

/// <summary>
/// General matrix multiply, row-major: C[m×n] = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ.
/// lda, ldb and ldc are the row strides of A, B and C as stored. As in BLAS, beta = 0 means C is
/// not read (NaN or garbage in C is overwritten). Allocation-free after the first call on a thread.
/// </summary>
public static class Gemm
{
    /// <summary>The SIMD path every call without an explicit path uses (see <c>FASTMLP_ISA</c>).</summary>
    /// <exception cref="InvalidOperationException"><c>FASTMLP_ISA</c> names no path, or one this CPU cannot run.</exception>
    public static GemmPath ActivePath => GemmDispatch.Path;

    /// <summary>
    /// The best path this CPU supports, read from CPUID, whether or not this build can use it: a
    /// NativeAOT binary compiled without AVX2 or AVX-512 runs a slower <see cref="ActivePath"/>.
    /// </summary>
    public static GemmPath CpuPath => CpuPathDetection.CpuPath;

    /// <summary>
    /// Null when <see cref="ActivePath"/> is <see cref="CpuPath"/>; otherwise one sentence saying why
    /// the faster path is not used and how to get it (also written once as the
    /// <see cref="Diagnostics.FastMlpEventSource.GemmPathBelowCpu"/> event).
    /// </summary>
    public static string? PathDiagnostic => CpuPathDetection.Diagnostic;

    /// <summary>Paths this CPU can run, in <see cref="GemmPath"/> order.</summary>
    public static IReadOnlyList<GemmPath> SupportedPaths => GemmDispatch.SupportedPaths;

    /// <summary>Whether this CPU can run <paramref name="path"/>.</summary>
    public static bool IsSupported(GemmPath path) => GemmDispatch.IsSupported(path);

    /// <summary>C = alpha·op(A)·op(B) + beta·C on the <see cref="ActivePath"/>.</summary>
    /// <param name="transposeA">Use Aᵀ: A is stored k×m.</param>
    /// <param name="transposeB">Use Bᵀ: B is stored n×k.</param>
    /// <param name="m">Rows of C and of op(A).</param>
    /// <param name="n">Columns of C and of op(B).</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major, m×k (k×m when <paramref name="transposeA"/>).</param>
    /// <param name="lda">Row stride of A as stored (≥ its column count).</param>
    /// <param name="b">B, row-major, k×n (n×k when <paramref name="transposeB"/>).</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="beta">Scale of the old C; 0 means C is not read.</param>
    /// <param name="c">C, row-major m×n, overwritten with the result.</param>
    /// <param name="ldc">Row stride of C (≥ n).</param>
    /// <remarks>
    /// C[i, j] = alpha·Σₚ op(A)[i, p]·op(B)[p, j] + beta·C[i, j]. Summation order differs between paths (FMA and
    /// vector lanes), so results agree to rounding (relative ≈ 1e-6 for float), not bit for bit, across paths;
    /// the same path gives the same bits on every run and for every thread count.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative, or a stride is smaller than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix, or C overlaps A or B.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="InvalidOperationException"><c>FASTMLP_ISA</c> is invalid (see <see cref="ActivePath"/>).</exception>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha,
                                   ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Multiply(GemmDispatch.Path, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>C = alpha·op(A)·op(B) + beta·C on an explicit <paramref name="path"/> (tests, benchmarks, diagnostics).</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not supported by this CPU or build, a span is too short, or C overlaps A or B.</exception>
    public static void Multiply<T>(GemmPath path, bool transposeA, bool transposeB, int m, int n, int k, T alpha,
                                   ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Multiply(path, null, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C split over the threads of <paramref name="pool"/> (null or one
    /// thread: the caller's thread only). C is partitioned into whole column panels or row tiles and
    /// k is never split, so the result is bit-identical for every thread count. Calls below ~1 MFLOP
    /// stay on the calling thread.
    /// </summary>
    public static void Multiply<T>(WorkerPool? pool, bool transposeA, bool transposeB, int m, int n, int k, T alpha,
                                   ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Multiply(GemmDispatch.Path, pool, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>C = alpha·op(A)·op(B) + beta·C on an explicit path and worker pool.</summary>
    public static unsafe void Multiply<T>(GemmPath path, WorkerPool? pool, bool transposeA, bool transposeB, int m, int n, int k, T alpha,
                                          ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                          T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckType<T>();
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        GemmArguments.CheckNoOverlap(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        CheckPath(path);
        pool?.ThrowIfDisposed();
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || T.IsZero(alpha))
        {
            Scale(m, n, beta, c, ldc);
            return;
        }
        if (path == GemmPath.Scalar)
        {
            GemmScalar.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            switch (path)
            {
                case GemmPath.Avx512:
                    GemmDriver<T, Vector512<T>, SimdAvx512<T>>.Multiply(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, pool);
                    break;
                case GemmPath.Avx2:
                    GemmDriver<T, Vector256<T>, SimdAvx2<T>>.Multiply(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, pool);
                    break;
                default:
                    GemmDriver<T, Vector128<T>, SimdPortable<T>>.Multiply(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, pool);
                    break;
            }
        }
    }

    /// <summary>
    /// Packs op(B) (k×n) once for reuse across calls, e.g. a weight matrix multiplied by every batch.
    /// Call <see cref="PackedMatrix{T}.Update"/> after the weights change.
    /// </summary>
    /// <exception cref="ArgumentException">The span is too short for k×n with stride <paramref name="ldb"/>.</exception>
    public static PackedMatrix<T> Pack<T>(bool transposeB, int k, int n, ReadOnlySpan<T> b, int ldb)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Pack(GemmDispatch.Path, transposeB, k, n, b, ldb);

    /// <summary>Packs op(B) for an explicit <paramref name="path"/>.</summary>
    public static PackedMatrix<T> Pack<T>(GemmPath path, bool transposeB, int k, int n, ReadOnlySpan<T> b, int ldb)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckType<T>();
        CheckPath(path);
        var packed = new PackedMatrix<T>(path, transposeB, k, n);
        packed.Update(b, ldb);
        return packed;
    }

    /// <summary>C = alpha·op(A)·B + beta·C with B pre-packed by <see cref="Pack{T}(bool, int, int, ReadOnlySpan{T}, int)"/>.</summary>
    public static void Multiply<T>(bool transposeA, int m, T alpha, ReadOnlySpan<T> a, int lda,
                                   PackedMatrix<T> b, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Multiply(null, transposeA, m, alpha, a, lda, b, beta, c, ldc);

    /// <summary>Pre-packed multiply split over <paramref name="pool"/>'s threads (bit-identical for any count).</summary>
    public static unsafe void Multiply<T>(WorkerPool? pool, bool transposeA, int m, T alpha, ReadOnlySpan<T> a, int lda,
                                          PackedMatrix<T> b, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = b.Columns, k = b.Depth;
        GemmArguments.Validate(transposeA, false, m, n, k, a.Length, lda, -1, 0, c.Length, ldc);
        GemmArguments.CheckNoOverlap(transposeA, false, m, n, k, a, lda, ReadOnlySpan<T>.Empty, 0, c, ldc);
        pool?.ThrowIfDisposed();
        b.Acquire();
        try
        {
            MultiplyPacked(pool, transposeA, m, n, k, alpha, a, lda, b, beta, c, ldc);
        }
        finally
        {
            b.Release();
        }
    }

    private static unsafe void MultiplyPacked<T>(WorkerPool? pool, bool transposeA, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
                                                 PackedMatrix<T> b, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T* pb = b.Pointer;
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || T.IsZero(alpha))
        {
            Scale(m, n, beta, c, ldc);
            return;
        }
        fixed (T* pa = a)
        fixed (T* pc = c)
        {
            switch (b.Path)
            {
                case GemmPath.Avx512:
                    GemmDriver<T, Vector512<T>, SimdAvx512<T>>.MultiplyPacked(transposeA, m, n, k, alpha, pa, lda, pb, beta, pc, ldc, pool);
                    break;
                case GemmPath.Avx2:
                    GemmDriver<T, Vector256<T>, SimdAvx2<T>>.MultiplyPacked(transposeA, m, n, k, alpha, pa, lda, pb, beta, pc, ldc, pool);
                    break;
                case GemmPath.Portable:
                    GemmDriver<T, Vector128<T>, SimdPortable<T>>.MultiplyPacked(transposeA, m, n, k, alpha, pa, lda, pb, beta, pc, ldc, pool);
                    break;
                default:
                    GemmScalar.Multiply(transposeA, b.TransposedSource, m, n, k, alpha, a, lda, b.Source, b.SourceStride, beta, c, ldc);
                    break;
            }
        }
    }

    /// <summary>C = beta·C (beta = 0 clears, ignoring NaN in C).</summary>
    private static void Scale<T>(int m, int n, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (T.IsZero(beta))
            {
                row.Clear();
            }
            else if (beta != T.One)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] *= beta;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckType<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            ThrowHelper.NotSupportedType(typeof(T));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckPath(GemmPath path)
    {
        Guard.Defined(path);
        if (!GemmDispatch.IsSupported(path))
        {
            ThrowHelper.Argument(nameof(path),
                $"GEMM path {GemmDispatch.Name(path)} is not supported by this CPU; supported: {string.Join(", ", GemmDispatch.SupportedPaths.Select(GemmDispatch.Name))}.");
        }
    }
}
