namespace FastMlp.Numerics;

/// <summary>
/// The scalar reference GEMM: the textbook triple loop, one dot product per element of C, summed
/// in order p = 0 … k−1. Every SIMD path is property-tested against it; it is also the
/// <c>FASTMLP_ISA=scalar</c> path.
/// </summary>
internal static class GemmScalar
{
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha,
                                   ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool beta0 = T.IsZero(beta);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    T y = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += x * y;
                }
                ref T cij = ref c[(i * ldc) + j];
                cij = beta0 ? alpha * sum : (alpha * sum) + (beta * cij);
            }
        }
    }
}
