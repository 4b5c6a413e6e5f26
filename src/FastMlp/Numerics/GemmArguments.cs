using System.Runtime.CompilerServices;

namespace FastMlp.Numerics;

/// <summary>Argument checks for GEMM: cheap comparisons inline, messages built only when throwing.</summary>
internal static class GemmArguments
{
    /// <summary>Elements a row-major rows×cols matrix with row stride ld spans (0 when empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Extent(int rows, int cols, int ld) =>
        rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;

    /// <summary>Validates sizes, strides and span lengths; pass <paramref name="bLength"/> = −1 to skip B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Validate(bool transA, bool transB, int m, int n, int k,
                                int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        Guard.AtLeast(m, 0, "Matrix size m");
        Guard.AtLeast(n, 0, "Matrix size n");
        Guard.AtLeast(k, 0, "Matrix size k");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < aCols || lda < 0)
        {
            ThrowStride("lda", lda, "A", transA ? "transposeA = true: m" : "transposeA = false: k", aCols);
        }
        if (bLength >= 0 && (ldb < bCols || ldb < 0))
        {
            ThrowStride("ldb", ldb, "B", transB ? "transposeB = true: k" : "transposeB = false: n", bCols);
        }
        if (ldc < n || ldc < 0)
        {
            ThrowStride("ldc", ldc, "C", "n", n);
        }
        if (aLength < Extent(aRows, aCols, lda))
        {
            ThrowLength("a", "A", aLength, aRows, aCols, lda, "lda");
        }
        if (bLength >= 0 && bLength < Extent(bRows, bCols, ldb))
        {
            ThrowLength("b", "B", bLength, bRows, bCols, ldb, "ldb");
        }
        if (cLength < Extent(m, n, ldc))
        {
            ThrowLength("c", "C", cLength, m, n, ldc, "ldc");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckNoOverlap<T>(bool transA, bool transB, int m, int n, int k,
                                         ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
    {
        int cUsed = (int)Extent(m, n, ldc);
        if (cUsed == 0)
        {
            return;
        }
        ReadOnlySpan<T> cSpan = c.Slice(0, cUsed);
        int aUsed = (int)Extent(transA ? k : m, transA ? m : k, lda);
        if (aUsed > 0 && cSpan.Overlaps(a.Slice(0, aUsed)))
        {
            ThrowHelper.Argument("c", "c overlaps a: GEMM cannot write its result over one of its inputs; use a separate output buffer.");
        }
        int bUsed = (int)Extent(transB ? n : k, transB ? k : n, ldb);
        if (bUsed > 0 && b.Length >= bUsed && cSpan.Overlaps(b.Slice(0, bUsed)))
        {
            ThrowHelper.Argument("c", "c overlaps b: GEMM cannot write its result over one of its inputs; use a separate output buffer.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStride(string name, int value, string matrix, string rowWhat, int row) =>
        ThrowHelper.ArgumentOutOfRange(name,
            $"Row stride {name} = {value} is smaller than a stored row of {matrix} ({rowWhat} = {row} elements) or negative.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(string name, string matrix, int length, int rows, int cols, int ld, string ldName) =>
        ThrowHelper.Argument(name,
            $"Span {name} has {length} elements, but {matrix} stored as {rows}×{cols} with {ldName} = {ld} needs {Extent(rows, cols, ld)}.");
}
