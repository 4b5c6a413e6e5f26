
namespace FastMlp.Numerics;

/// <summary>Which int8 path this process runs (the <see cref="Gemm.ActivePath"/> of <see cref="WeightPrecision.Int8"/> models).</summary>
public static class Int8Paths
{
    /// <summary>The path every Int8 model's Predict uses (see <c>FASTMLP_ISA</c>).</summary>
    public static Int8Path Active => Int8Dispatch.Path;

    /// <summary>Paths this CPU can run, in <see cref="Int8Path"/> order.</summary>
    public static IReadOnlyList<Int8Path> Supported => Int8Dispatch.SupportedPaths;
}
