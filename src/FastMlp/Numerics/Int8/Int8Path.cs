using System.Runtime.Intrinsics;

namespace FastMlp.Numerics;

/// <summary>The instruction-set path of the int8 kernels (<see cref="WeightPrecision.Int8"/> models).</summary>
public enum Int8Path
{
    /// <summary>Plain loops over the packed weights.</summary>
    Scalar,
    /// <summary>128-bit <see cref="Vector128{T}"/> int32 multiplies, any SIMD hardware.</summary>
    Portable,
    /// <summary>AVX2 VPMADDUBSW + VPMADDWD, 256-bit.</summary>
    Avx2,
    /// <summary>AVX-512BW VPMADDUBSW + VPMADDWD, 512-bit.</summary>
    Avx512BW,
    /// <summary>AVX-VNNI VPDPBUSD, 256-bit (VEX encoding).</summary>
    AvxVnni,
    /// <summary>Arm64 SDOT.</summary>
    ArmDot,
}

/// <summary>
/// Picks the int8 path once per process: the fastest the CPU supports, or the one matching the GEMM path
/// forced by <c>FASTMLP_ISA</c> (avx512 → Avx512BW, avx2 → AvxVnni where present else Avx2,
/// portable → Portable, scalar → Scalar).
/// </summary>
internal static class Int8Dispatch
{
    // Without FASTMLP_ISA: the best int8 path, not a mapping of the best GEMM path (VNNI may be 256-bit on a 512-bit CPU).
    private static readonly Int8Path? UnforcedPath =
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(GemmDispatch.EnvironmentVariable)) ? Best : null;

    /// <summary>The active path; throws the configuration error if <c>FASTMLP_ISA</c> is invalid.</summary>
    public static Int8Path Path => UnforcedPath ?? FromGemm(GemmDispatch.Path);

    public static bool IsSupported(Int8Path path) => path switch
    {
        Int8Path.Scalar => true,
        Int8Path.Portable => Int8Portable.IsSupported,
        Int8Path.Avx2 => Int8Avx2.IsSupported,
        Int8Path.Avx512BW => Int8Avx512BW.IsSupported,
        Int8Path.AvxVnni => Int8AvxVnni.IsSupported,
        Int8Path.ArmDot => Int8ArmDot.IsSupported,
        _ => false,
    };

    public static IReadOnlyList<Int8Path> SupportedPaths => Enum.GetValues<Int8Path>().Where(IsSupported).ToArray();

    /// <summary>256-bit VNNI first: on Zen 5 it runs twice the multiply-adds of 512-bit VPMADDUBSW.</summary>
    public static Int8Path Best =>
        IsSupported(Int8Path.AvxVnni) ? Int8Path.AvxVnni
        : IsSupported(Int8Path.Avx512BW) ? Int8Path.Avx512BW
        : IsSupported(Int8Path.Avx2) ? Int8Path.Avx2
        : IsSupported(Int8Path.ArmDot) ? Int8Path.ArmDot
        : IsSupported(Int8Path.Portable) ? Int8Path.Portable
        : Int8Path.Scalar;

    internal static Int8Path FromGemm(GemmPath path) => path switch
    {
        GemmPath.Avx512 when IsSupported(Int8Path.Avx512BW) => Int8Path.Avx512BW,
        GemmPath.Avx512 or GemmPath.Avx2 when IsSupported(Int8Path.AvxVnni) => Int8Path.AvxVnni,
        GemmPath.Avx512 or GemmPath.Avx2 when IsSupported(Int8Path.Avx2) => Int8Path.Avx2,
        GemmPath.Scalar => Int8Path.Scalar,
        _ => IsSupported(Int8Path.Portable) ? Int8Path.Portable : Int8Path.Scalar,
    };

    public static void Check(Int8Path path)
    {
        if (!IsSupported(path))
        {
            ThrowHelper.Argument(nameof(path),
                $"int8 path {path} is not supported by this CPU; supported: {string.Join(", ", SupportedPaths)}.");
        }
    }
}
