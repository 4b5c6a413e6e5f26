using FastMlp.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Numerics;

public class GemmTests
{
    /// <summary>Every path this CPU runs; under FASTMLP_ISA the forced path is the active one and is included.</summary>
    public static IEnumerable<GemmPath> Paths => Gemm.SupportedPaths.Where(p => p != GemmPath.Scalar).Append(Gemm.ActivePath).Distinct();

    // 3 × the widest vector (16 floats in a zmm) + 1.
    private const int EdgeSizes = 49;

    private static readonly int[] Interesting = [0, 1, 2, 3, 5, 7, 11, 13, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 97, 131];

    private static Gen<GemmReferenceCheck.Case> CaseGen(int maxSize) =>
        from m in Gen.OneOf(Gen.Choose(0, maxSize), Gen.Elements(Interesting))
        from n in Gen.OneOf(Gen.Choose(0, maxSize), Gen.Elements(Interesting))
        from k in Gen.OneOf(Gen.Choose(0, maxSize), Gen.Elements(Interesting))
        from ta in ArbMap.Default.GeneratorFor<bool>()
        from tb in ArbMap.Default.GeneratorFor<bool>()
        from pads in Gen.Choose(0, 5).Three()
        from alpha in Gen.Elements(1.0, -1.0, 0.5, 2.5, 0.0)
        from beta in Gen.Elements(0.0, 1.0, -0.75, 2.0)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new GemmReferenceCheck.Case(ta, tb, m, n, k, pads.Item1, pads.Item2, pads.Item3, alpha, beta, seed);

    private static Property AllPathsMatch(Gen<GemmReferenceCheck.Case> gen) =>
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            foreach (GemmPath path in Paths)
            {
                foreach (bool packed in new[] { false, true })
                {
                    string? f = GemmReferenceCheck.Compare<float>(path, t, forcePacked: packed);
                    string? d = GemmReferenceCheck.Compare<double>(path, t, forcePacked: packed);
                    if (f is not null || d is not null)
                    {
                        return false.Label(f ?? d!);
                    }
                }
            }
            return true.ToProperty();
        });

    [Property(MaxTest = 300)]
    public Property Every_path_matches_the_scalar_reference_on_small_shapes() => AllPathsMatch(CaseGen(EdgeSizes));

    [Property(MaxTest = 25)]
    public Property Every_path_matches_the_scalar_reference_on_blocked_shapes() => AllPathsMatch(CaseGen(300));

    public static TheoryData<int, int> EdgeCases()
    {
        var data = new TheoryData<int, int>();
        for (int size = 0; size <= EdgeSizes; size++)
        {
            for (int dim = 0; dim < 3; dim++)
            {
                data.Add(dim, size);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Every_size_up_to_three_vectors_plus_one_in_each_dimension(int dimension, int size)
    {
        foreach (GemmPath path in Paths)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    int m = dimension == 0 ? size : 13, n = dimension == 1 ? size : 37, k = dimension == 2 ? size : 19;
                    var t = new GemmReferenceCheck.Case(ta, tb, m, n, k, 1, 2, 3, 1.5, -0.5, size * 31 + dimension);
                    Assert.Null(GemmReferenceCheck.Compare<float>(path, t));
                    Assert.Null(GemmReferenceCheck.Compare<double>(path, t));
                    Assert.Null(GemmReferenceCheck.Compare<float>(path, t, forcePacked: true));
                }
            }
        }
    }

    [Theory]
    [InlineData(130, 530, 520)]   // crosses MC, NC and KC blocks
    [InlineData(64, 128, 784)]    // MLP forward shape, two direct k-slices
    [InlineData(1, 128, 784)]     // GEMV
    [InlineData(7, 1030, 600)]    // wide B, direct path above NC
    public void Large_shapes_match_the_reference_for_every_transpose(int m, int n, int k)
    {
        foreach (GemmPath path in Paths)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    var t = new GemmReferenceCheck.Case(ta, tb, m, n, k, 3, 1, 2, 1.0, 0.5, m + n + k);
                    Assert.Null(GemmReferenceCheck.Compare<float>(path, t));
                }
            }
        }
    }

    [Fact]
    public void Beta_zero_ignores_NaN_in_C_on_every_path()
    {
        foreach (GemmPath path in Paths.Append(GemmPath.Scalar))
        {
            foreach (bool packed in new[] { false, true })
            {
                var t = new GemmReferenceCheck.Case(false, false, 19, 70, 33, 0, 0, 4, 1.0, 0.0, 7);
                Assert.Null(GemmReferenceCheck.Compare<float>(path, t, nanInC: true, forcePacked: packed));
                Assert.Null(GemmReferenceCheck.Compare<double>(path, t, nanInC: true, forcePacked: packed));
            }
        }
    }

    [Fact]
    public void K_zero_scales_C_by_beta_and_alpha_zero_does_not_read_A_or_B()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(false, false, 2, 2, 0, 1f, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, 3f, c, 2);
        Assert.Equal([3f, 6, 9, 12], c);

        float[] a = [float.NaN, float.NaN, float.NaN, float.NaN];
        Gemm.Multiply(false, false, 2, 2, 2, 0f, a, 2, a, 2, 0f, c, 2);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void Prepacked_B_gives_the_same_result_as_unpacked_on_every_path()
    {
        foreach (GemmPath path in Paths.Append(GemmPath.Scalar))
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach ((int m, int n, int k) in new[] { (1, 10, 7), (64, 130, 300), (9, 600, 260) })
                {
                    var rng = new Random(m * n * k);
                    int ldb = (tb ? k : n) + 1;
                    float[] a = GemmReferenceCheck.Random<float>(rng, m * k);
                    float[] b = GemmReferenceCheck.Random<float>(rng, (tb ? n : k) * ldb);
                    float[] expected = new float[m * n];
                    GemmScalar.Multiply(false, tb, m, n, k, 1f, a, k, b, ldb, 0f, expected, n);

                    using PackedMatrix<float> packed = Gemm.Pack<float>(path, tb, k, n, b, ldb);
                    float[] actual = new float[m * n];
                    Gemm.Multiply(false, m, 1f, a, k, packed, 0f, actual, n);
                    for (int i = 0; i < expected.Length; i++)
                    {
                        Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"{path} tb={tb} {m}x{n}x{k} at {i}: {actual[i]} vs {expected[i]}");
                    }

                    // Update repacks new weights in place.
                    for (int i = 0; i < b.Length; i++) b[i] *= 2;
                    packed.Update(b, ldb);
                    Gemm.Multiply(false, m, 1f, a, k, packed, 0f, actual, n);
                    Assert.True(Math.Abs((2 * expected[0]) - actual[0]) <= 1e-4f * (1 + Math.Abs(expected[0])));
                }
            }
        }
    }
}
