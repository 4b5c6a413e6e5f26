using FastMlp.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Numerics;

public unsafe class Int8KernelTests
{
    /// <summary>Every int8 path this CPU runs, the forced/active one included.</summary>
    public static IEnumerable<Int8Path> Paths => Int8Dispatch.SupportedPaths;

    private static readonly int[] Interesting = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129];

    public sealed record Case(int Rows, int Inputs, int Outputs, int Extremes, int Seed);

    private static Gen<Case> CaseGen(int maxSize) =>
        from rows in Gen.OneOf(Gen.Choose(1, 14), Gen.Elements(1, 4, 5, 8, 13, 64))
        from inputs in Gen.OneOf(Gen.Choose(1, maxSize), Gen.Elements(Interesting))
        from outputs in Gen.OneOf(Gen.Choose(1, maxSize), Gen.Elements(Interesting))
        from extremes in Gen.Choose(0, 2)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(rows, inputs, outputs, extremes, seed);

    /// <summary>
    /// Runs every path on the case and compares each int32 sum with Σₖ a[i,k]·q[k,j] computed from the
    /// unpacked weights. Extremes 1: all values at ±127 / 127 (VPMADDUBSW's worst pair, 2·127·127, must not saturate).
    /// </summary>
    private static string? Compare(Case t)
    {
        var random = new Random(t.Seed);
        var q = new sbyte[t.Inputs * t.Outputs];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = t.Extremes == 1 ? (sbyte)(random.Next(2) == 0 ? -127 : 127) : (sbyte)random.Next(-127, 128);
        }
        var layer = new QuantizedLayer(t.Inputs, t.Outputs, Activation.Identity, q, new float[t.Outputs], new float[t.Outputs]);
        int lda = layer.Quads * 4, ldc = layer.PaddedOutputs;
        var a = new byte[t.Rows * lda];
        for (int i = 0; i < t.Rows; i++)
        {
            for (int k = 0; k < t.Inputs; k++)
            {
                a[(i * lda) + k] = t.Extremes switch { 1 => 127, 2 => (byte)(random.Next(2) * 127), _ => (byte)random.Next(0, 128) };
            }
        }
        foreach (Int8Path path in Paths)
        {
            var c = new int[t.Rows * ldc];
            Array.Fill(c, int.MinValue);
            fixed (byte* pa = a)
            fixed (int* pc = c)
            {
                Int8Gemm.Multiply(path, t.Rows, ldc, layer.Quads, pa, lda, layer.Packed, pc, ldc);
            }
            for (int i = 0; i < t.Rows; i++)
            {
                for (int j = 0; j < ldc; j++)
                {
                    int expected = 0;
                    for (int k = 0; k < t.Inputs && j < t.Outputs; k++)
                    {
                        expected += a[(i * lda) + k] * q[(k * t.Outputs) + j];
                    }
                    if (c[(i * ldc) + j] != expected)
                    {
                        return $"{path}: {t} C[{i},{j}] = {c[(i * ldc) + j]}, expected {expected}";
                    }
                }
            }
        }
        return null;
    }

    private static Property AllPathsExact(Gen<Case> gen) =>
        Prop.ForAll(gen.ToArbitrary(), t => Compare(t) is { } failure ? false.Label(failure) : true.ToProperty());

    [Property(MaxTest = 200)]
    public Property Every_int8_path_equals_the_reference_bit_for_bit_on_small_shapes() => AllPathsExact(CaseGen(70));

    [Property(MaxTest = 20)]
    public Property Every_int8_path_equals_the_reference_bit_for_bit_on_layer_shapes() => AllPathsExact(CaseGen(800));

    public static TheoryData<int, int, int> EdgeShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 3, 4, 6 })
        {
            for (int size = 1; size <= 49; size++)
            {
                data.Add(rows, size, 49 - size + 1);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeShapes))]
    public void Every_int8_path_is_exact_on_edge_sizes(int rows, int inputs, int outputs)
    {
        for (int extremes = 0; extremes < 3; extremes++)
        {
            Assert.Null(Compare(new Case(rows, inputs, outputs, extremes, inputs * 131 + outputs)));
        }
    }

    [Fact]
    public void The_best_path_is_reported_and_supported()
    {
        Assert.Contains(Int8Path.Scalar, Int8Dispatch.SupportedPaths);
        Assert.True(Int8Dispatch.IsSupported(Int8Dispatch.Path));
        Assert.Equal(Int8Path.Scalar, Int8Dispatch.FromGemm(GemmPath.Scalar));
        // FASTMLP_ISA forces the int8 path too (CI reruns this suite on every forced path).
        string? forced = Environment.GetEnvironmentVariable("FASTMLP_ISA");
        Assert.Equal(string.IsNullOrWhiteSpace(forced) ? Int8Dispatch.Best : Int8Dispatch.FromGemm(Gemm.ActivePath), Int8Paths.Active);
        if (forced == "scalar")
        {
            Assert.Equal(Int8Path.Scalar, Int8Paths.Active);
        }
        if (Gemm.IsSupported(GemmPath.Avx512) && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported)
        {
            Assert.Equal(Int8Path.Avx512BW, Int8Dispatch.FromGemm(GemmPath.Avx512));
        }
    }
}
