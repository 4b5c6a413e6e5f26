using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastMlp.Numerics;

/// <summary>The instruction-set path the GEMM kernels run on.</summary>
public enum GemmPath
{
    /// <summary>Plain loops; the reference every other path is tested against.</summary>
    Scalar,
    /// <summary>128-bit <see cref="Vector128{T}"/> kernels that run on any SIMD hardware.</summary>
    Portable,
    /// <summary>256-bit AVX2 + FMA kernels.</summary>
    Avx2,
    /// <summary>512-bit AVX-512F kernels.</summary>
    Avx512,
}

/// <summary>
/// Picks the GEMM path once per process: the best the CPU supports, or the one forced by the
/// <c>FASTMLP_ISA</c> environment variable (avx512, avx2, portable, scalar).
/// </summary>
internal static class GemmDispatch
{
    public const string EnvironmentVariable = "FASTMLP_ISA";

    private static readonly GemmPath ChosenPath;
    private static readonly string? ConfigurationError;

    static GemmDispatch()
    {
        string? forced = Environment.GetEnvironmentVariable(EnvironmentVariable);
        (ChosenPath, ConfigurationError) = Choose(forced);
        if (ConfigurationError is null
            && CpuPathDetection.Diagnose(ChosenPath, CpuPathDetection.CpuPath, forced, !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported) is { } slower)
        {
            Diagnostics.FastMlpEventSource.Log.GemmPathBelowCpu(Name(ChosenPath), Name(CpuPathDetection.CpuPath), slower);
        }
    }

    /// <summary>The active path; throws the configuration error if <c>FASTMLP_ISA</c> is invalid.</summary>
    public static GemmPath Path
    {
        get
        {
            if (ConfigurationError is not null)
            {
                ThrowHelper.InvalidOperation(ConfigurationError);
            }
            return ChosenPath;
        }
    }

    public static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Scalar => true,
        GemmPath.Portable => Vector128.IsHardwareAccelerated,
        GemmPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        GemmPath.Avx512 => Avx512F.IsSupported,
        _ => false,
    };

    public static IReadOnlyList<GemmPath> SupportedPaths =>
        Enum.GetValues<GemmPath>().Where(IsSupported).ToArray();

    public static GemmPath Best =>
        IsSupported(GemmPath.Avx512) ? GemmPath.Avx512
        : IsSupported(GemmPath.Avx2) ? GemmPath.Avx2
        : IsSupported(GemmPath.Portable) ? GemmPath.Portable
        : GemmPath.Scalar;

    internal static (GemmPath Path, string? Error) Choose(string? forced)
    {
        if (string.IsNullOrWhiteSpace(forced))
        {
            return (Best, null);
        }

        string supported = string.Join(", ", SupportedPaths.Select(Name));
        GemmPath? parsed = forced.Trim().ToLowerInvariant() switch
        {
            "avx512" => GemmPath.Avx512,
            "avx2" => GemmPath.Avx2,
            "portable" => GemmPath.Portable,
            "scalar" => GemmPath.Scalar,
            _ => null,
        };
        if (parsed is null)
        {
            return (GemmPath.Scalar,
                $"{EnvironmentVariable}='{forced}' is not a GEMM path; valid values are avx512, avx2, portable, scalar (this CPU supports: {supported}).");
        }
        if (!IsSupported(parsed.Value))
        {
            return (GemmPath.Scalar,
                $"{EnvironmentVariable}='{forced}' asks for a path this CPU does not support; this CPU supports: {supported}.");
        }
        return (parsed.Value, null);
    }

    public static string Name(GemmPath path) => path switch
    {
        GemmPath.Avx512 => "avx512",
        GemmPath.Avx2 => "avx2",
        GemmPath.Portable => "portable",
        _ => "scalar",
    };
}
