using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Numerics;

public class GemmContractTests
{
    [Fact]
    public void A_call_after_warm_up_allocates_nothing_on_any_path()
    {
        var rng = new Random(1);
        foreach (GemmPath path in GemmTests.Paths)
        {
            foreach ((int m, int n, int k, bool ta, bool tb) in new[] { (64, 128, 784, false, false), (1, 128, 784, false, false), (64, 10, 128, true, false), (37, 300, 270, false, true) })
            {
                float[] a = GemmReferenceCheck.Random<float>(rng, m * k);
                float[] b = GemmReferenceCheck.Random<float>(rng, k * n);
                float[] c = new float[m * n];
                int lda = ta ? m : k, ldb = tb ? k : n;
                Allocations.AssertNone(() =>
                {
                    for (int i = 0; i < 5; i++)
                    {
                        Gemm.Multiply(path, ta, tb, m, n, k, 1f, a, lda, b, ldb, 1f, c, n);
                    }
                }, $"{path} {m}x{n}x{k}");
            }
        }
    }

    [Fact]
    public void Prepacked_multiply_allocates_nothing()
    {
        var rng = new Random(2);
        float[] w = GemmReferenceCheck.Random<float>(rng, 784 * 128);
        float[] x = GemmReferenceCheck.Random<float>(rng, 64 * 784);
        float[] y = new float[64 * 128];
        using PackedMatrix<float> packed = Gemm.Pack<float>(false, 784, 128, w, 128);
        Allocations.AssertNone(() =>
        {
            Gemm.Multiply(false, 64, 1f, x, 784, packed, 0f, y, 128);
            packed.Update(w, 128);
        }, "pre-packed multiply and repack");
    }

    [Fact]
    public void Negative_sizes_are_rejected_by_name()
    {
        float[] x = new float[16];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, -1, 2, 1f, x, 2, x, 2, 0f, new float[4], 2));
        Assert.Equal("n", e.ParamName);
        Assert.Contains("-1", e.Message);
    }

    [Theory]
    [InlineData(false, 3, "lda")] // A is m×k = 2×4: lda 3 < k
    [InlineData(true, 1, "lda")]  // Aᵀ stored k×m = 4×2: lda 1 < m
    public void A_row_stride_smaller_than_the_row_is_rejected(bool transA, int lda, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(transA, false, 2, 3, 4, 1f, new float[100], lda, new float[100], 3, 0f, new float[100], 3));
        Assert.Equal(name, e.ParamName);
        Assert.Contains($"lda = {lda}", e.Message);
    }

    [Fact]
    public void Short_spans_are_rejected_with_the_needed_length()
    {
        // B is k×n = 4×3 with ldb 5: needs 3·5 + 3 = 18 elements.
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 3, 4, 1f, new float[8], 4, new float[17], 5, 0f, new float[6], 3));
        Assert.Equal("b", e.ParamName);
        Assert.Contains("needs 18", e.Message);
        var c = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 3, 4, 1f, new float[8], 4, new float[18], 5, 0f, new float[5], 3));
        Assert.Equal("c", c.ParamName);
        var ldc = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, 2, 3, 4, 1f, new float[8], 4, new float[18], 5, 0f, new float[6], 2));
        Assert.Equal("ldc", ldc.ParamName);
    }

    [Fact]
    public void C_overlapping_A_or_B_is_rejected()
    {
        float[] buffer = new float[64];
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 2, 2, 1f, buffer.AsSpan(0, 4), 2, buffer.AsSpan(20, 4), 2, 0f, buffer.AsSpan(2, 4), 2));
        Assert.Contains("overlaps a", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 2, 2, 1f, buffer.AsSpan(0, 4), 2, buffer.AsSpan(20, 4), 2, 0f, buffer.AsSpan(22, 4), 2));
        Assert.Contains("overlaps b", e.Message);
        // Disjoint slices of one array are fine.
        Gemm.Multiply(false, false, 2, 2, 2, 1f, buffer.AsSpan(0, 4), 2, buffer.AsSpan(20, 4), 2, 0f, buffer.AsSpan(40, 4), 2);
    }

    [Fact]
    public void Unsupported_element_types_are_rejected() =>
        Assert.Throws<NotSupportedException>(() =>
            Gemm.Multiply(false, false, 1, 1, 1, (Half)1, new Half[1], 1, new Half[1], 1, (Half)0, new Half[1], 1));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("scalar", true)]
    [InlineData("SCALAR", true)]
    [InlineData("sse9", false)]
    public void FASTMLP_ISA_is_parsed_with_a_clear_error(string? value, bool valid)
    {
        (GemmPath path, string? error) = GemmDispatch.Choose(value);
        Assert.Equal(valid, error is null);
        if (!valid)
        {
            Assert.Contains("sse9", error);
            Assert.Contains("avx512, avx2, portable, scalar", error);
            Assert.Contains("this CPU supports", error);
        }
        else if (value is "scalar" or "SCALAR")
        {
            Assert.Equal(GemmPath.Scalar, path);
        }
        else
        {
            Assert.Equal(GemmDispatch.Best, path);
        }
    }

    [Fact]
    public void Forcing_an_unsupported_path_names_what_the_CPU_supports()
    {
        foreach (GemmPath p in Enum.GetValues<GemmPath>().Where(p => !Gemm.IsSupported(p)))
        {
            (_, string? error) = GemmDispatch.Choose(GemmDispatch.Name(p));
            Assert.NotNull(error);
            Assert.Contains("does not support", error);
        }
        Assert.Contains(GemmPath.Scalar, Gemm.SupportedPaths);
        Assert.Contains(Gemm.ActivePath, Gemm.SupportedPaths);
        string? forced = Environment.GetEnvironmentVariable("FASTMLP_ISA");
        if (!string.IsNullOrEmpty(forced))
        {
            Assert.Equal(forced, GemmDispatch.Name(Gemm.ActivePath));
        }
    }

    [Theory]
    [InlineData(77)]
    [InlineData(-1)]
    [InlineData(4)]
    public void An_undefined_path_value_is_named_in_the_error(int value)
    {
        float[] a = new float[4], b = new float[4], c = new float[4];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply((GemmPath)value, false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Equal("path", e.ParamName);
        Assert.StartsWith($"{value} is not a GemmPath value; valid: Scalar (0), Portable (1), Avx2 (2), Avx512 (3).", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Pack((GemmPath)value, false, 2, 2, b, 2));
    }

    [Fact]
    public void Using_a_disposed_packed_matrix_throws_ObjectDisposedException()
    {
        float[] b = new float[16], a = new float[16], c = new float[16];
        PackedMatrix<float> packed = Gemm.Pack<float>(false, 4, 4, b, 4);
        packed.Dispose();
        packed.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(false, 4, 1f, a, 4, packed, 0f, c, 4));
        Assert.Throws<ObjectDisposedException>(() => packed.Update(b, 4));
    }
}
