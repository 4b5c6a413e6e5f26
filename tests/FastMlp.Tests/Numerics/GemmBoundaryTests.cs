using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Numerics;

/// <summary>
/// Shapes one below, at and one above every blocking boundary of the driver (packed k-slice KC = 384
/// and its multiples, direct k-slice KCDirect = 512, column block NC = 512, the 1 MB direct-size
/// limit and 4 KB-aliased strides), on every path, float and double, direct and forced-packed, every
/// transpose. One dimension crosses the boundary while the others stay small, so each case is cheap.
/// The whole C (padding included) is compared with the scalar reference (<see cref="GemmReferenceCheck"/>).
/// There is no row block (MC): A is packed one micro-panel at a time; rows are covered around every
/// tile height by <see cref="GemmTests"/> and here up to 513.
/// </summary>
public class GemmBoundaryTests
{
    private static void AllVariants(int m, int n, int k, int padB = 2, int seed = 0)
    {
        foreach (GemmPath path in GemmTests.Paths)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    var t = new GemmReferenceCheck.Case(ta, tb, m, n, k, 1, padB, 3, 1.25, -0.5, seed + m + n + k);
                    foreach (bool packed in new[] { false, true })
                    {
                        Assert.Null(GemmReferenceCheck.Compare<float>(path, t, forcePacked: packed));
                        Assert.Null(GemmReferenceCheck.Compare<double>(path, t, forcePacked: packed));
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(383)]
    [InlineData(384)]
    [InlineData(385)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(767)]
    [InlineData(768)]
    [InlineData(769)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    public void Depth_around_every_k_slice(int k) => AllVariants(7, 37, k);

    [Theory]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    public void Columns_around_every_column_block(int n) => AllVariants(7, n, 19);

    [Theory]
    [InlineData(383)]
    [InlineData(384)]
    [InlineData(385)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    public void Rows_around_the_same_sizes(int m) => AllVariants(m, 21, 13);

    /// <summary>B of exactly 1 MB (float 512×512, double 256×512) stays direct; one more column packs.</summary>
    [Theory]
    [InlineData(512, 512)]
    [InlineData(512, 513)]
    [InlineData(256, 512)]
    [InlineData(256, 513)]
    public void B_around_the_direct_size_limit(int k, int n)
    {
        foreach (GemmPath path in GemmTests.Paths)
        {
            var t = new GemmReferenceCheck.Case(false, false, 9, n, k, 0, 0, 1, 1.0, 0.5, k + n);
            Assert.Null(GemmReferenceCheck.Compare<float>(path, t));
            Assert.Null(GemmReferenceCheck.Compare<double>(path, t));
        }
    }

    /// <summary>A row stride of B that is a multiple of 4 KB (float 1024, double 512) switches to packing.</summary>
    [Theory]
    [InlineData(1000, 24)]
    [InlineData(500, 12)]
    [InlineData(500, 13)]
    public void B_rows_aliased_on_4_KB(int n, int padB)
    {
        foreach (GemmPath path in GemmTests.Paths)
        {
            var t = new GemmReferenceCheck.Case(false, false, 9, n, 70, 0, padB, 1, 1.0, 0.5, n + padB);
            Assert.Null(GemmReferenceCheck.Compare<float>(path, t));
            Assert.Null(GemmReferenceCheck.Compare<double>(path, t));
        }
    }

    /// <summary>
    /// A pre-packed B across k-slice and column-block boundaries: multiply, repack new values with
    /// <see cref="PackedMatrix{T}.Update"/>, multiply again; every element of C and its padding checked.
    /// </summary>
    [Theory]
    [InlineData(383, 37)]
    [InlineData(385, 37)]
    [InlineData(769, 21)]
    [InlineData(19, 511)]
    [InlineData(19, 513)]
    [InlineData(19, 1025)]
    public void Prepacked_B_after_update_across_block_boundaries(int k, int n)
    {
        foreach (GemmPath path in GemmTests.Paths.Append(GemmPath.Scalar))
        {
            foreach (bool tb in new[] { false, true })
            {
                CheckPrepacked<float>(path, tb, 7, n, k);
                CheckPrepacked<double>(path, tb, 7, n, k);
            }
        }
    }

    private static void CheckPrepacked<T>(GemmPath path, bool transB, int m, int n, int k) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(m * n + k);
        int ldb = (transB ? k : n) + 3, ldc = n + 2;
        T[] a = GemmReferenceCheck.Random<T>(rng, m * k);
        T[] b1 = GemmReferenceCheck.Random<T>(rng, (transB ? n : k) * ldb);
        T[] b2 = GemmReferenceCheck.Random<T>(rng, b1.Length);
        T[] c0 = GemmReferenceCheck.Random<T>(rng, m * ldc);
        T alpha = T.CreateTruncating(1.5), beta = T.CreateTruncating(-0.25);
        using PackedMatrix<T> packed = Gemm.Pack(path, transB, k, n, b1, ldb);
        foreach (T[] b in new[] { b1, b2 })
        {
            if (!ReferenceEquals(b, b1))
            {
                packed.Update(b, ldb);
            }
            T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
            GemmScalar.Multiply(false, transB, m, n, k, alpha, a, k, b, ldb, beta, expected, ldc);
            Gemm.Multiply(false, m, alpha, a, k, packed, beta, actual, ldc);
            double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
            for (int i = 0; i < actual.Length; i++)
            {
                int row = i / ldc, col = i % ldc;
                double got = double.CreateTruncating(actual[i]), want = double.CreateTruncating(expected[i]);
                // Padding untouched bitwise; elements within the dot-product error bound (|a|,|b|,|c| ≤ 1).
                double tol = col >= n ? 0 : 2 * (k + 2) * eps * ((1.5 * k) + 0.25);
                if (!(Math.Abs(got - want) <= tol))
                {
                    Assert.Fail($"{path} {typeof(T).Name} transB={transB} m={m} n={n} k={k} {(ReferenceEquals(b, b1) ? "packed" : "after Update")}: " +
                                $"C[{row},{col}] = {got}, reference {want}.");
                }
            }
        }
    }
}
