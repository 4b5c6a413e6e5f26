using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastMlp.Numerics;

/// <summary>
/// The best GEMM path the CPU itself supports, read from CPUID rather than from the
/// <c>IsSupported</c> properties: a NativeAOT binary compiles those to constants for the
/// instruction sets it was built for, so they cannot tell what the machine could do.
/// </summary>
internal static class CpuPathDetection
{
    // CPUID leaf 1, ECX
    internal const int FmaBit = 1 << 12;
    internal const int OsXsaveBit = 1 << 27;
    internal const int AvxBit = 1 << 28;
    // CPUID leaf 7 sub-leaf 0, EBX
    internal const int Avx2Bit = 1 << 5;
    internal const int Avx512FBit = 1 << 16;

    private static readonly Lazy<GemmPath> DetectedPath = new(Detect);
    private static readonly Lazy<string?> PathDiagnostic = new(() => Diagnose(
        GemmDispatch.Path, DetectedPath.Value,
        Environment.GetEnvironmentVariable(GemmDispatch.EnvironmentVariable),
        isNativeAot: !RuntimeFeature.IsDynamicCodeSupported));

    public static GemmPath CpuPath => DetectedPath.Value;

    /// <summary>Null when the active path is the CPU's best; otherwise why not and how to fix it.</summary>
    public static string? Diagnostic => PathDiagnostic.Value;

    private static GemmPath Detect()
    {
        if (X86Base.IsSupported)
        {
            (_, _, int leaf1Ecx, _) = X86Base.CpuId(1, 0);
            (int maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
            int leaf7Ebx = maxLeaf >= 7 ? X86Base.CpuId(7, 0).Ebx : 0;
            return FromX86CpuId(leaf1Ecx, leaf7Ebx);
        }
        // Arm64 always has AdvSimd, which the portable Vector128 kernels use.
        return Vector128.IsHardwareAccelerated || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
            == System.Runtime.InteropServices.Architecture.Arm64 ? GemmPath.Portable : GemmPath.Scalar;
    }

    /// <summary>
    /// Decodes the CPUID feature bits. AVX state needs the OS to save YMM/ZMM registers; .NET has
    /// no XGETBV intrinsic, so OSXSAVE (the OS uses XSAVE at all) stands in for that check.
    /// </summary>
    internal static GemmPath FromX86CpuId(int leaf1Ecx, int leaf7Ebx)
    {
        bool osAvx = (leaf1Ecx & OsXsaveBit) != 0 && (leaf1Ecx & AvxBit) != 0;
        if (osAvx && (leaf7Ebx & Avx512FBit) != 0)
        {
            return GemmPath.Avx512;
        }
        if (osAvx && (leaf7Ebx & Avx2Bit) != 0 && (leaf1Ecx & FmaBit) != 0)
        {
            return GemmPath.Avx2;
        }
        return GemmPath.Portable; // SSE2 is part of x86-64
    }

    internal static string? Diagnose(GemmPath active, GemmPath cpu, string? forced, bool isNativeAot)
    {
        if (active >= cpu)
        {
            return null;
        }
        string lost = $"GEMM runs the {GemmDispatch.Name(active)} path although this CPU supports {GemmDispatch.Name(cpu)}";
        if (!string.IsNullOrWhiteSpace(forced))
        {
            return $"{lost}: {GemmDispatch.EnvironmentVariable}={forced.Trim()} forces it.";
        }
        if (isNativeAot)
        {
            string set = cpu == GemmPath.Avx512 ? "x86-64-v4" : "x86-64-v3";
            return $"{lost}: this NativeAOT binary was compiled without {GemmDispatch.Name(cpu)} instructions. "
                 + $"Publish with -p:IlcInstructionSet={set} (the binary then refuses CPUs without {GemmDispatch.Name(cpu)}) or -p:IlcInstructionSet=native.";
        }
        return $"{lost}: the .NET runtime has it disabled (a DOTNET_Enable* environment variable such as DOTNET_EnableAVX512F=0, or an OS that does not save the wider registers).";
    }
}
