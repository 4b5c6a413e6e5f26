using System.Diagnostics.Tracing;
using System.Runtime.InteropServices;
using FastMlp.Diagnostics;
using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Numerics;

public class CpuPathTests
{
    private const int Sse = CpuPathDetection.OsXsaveBit | CpuPathDetection.AvxBit;

    [Theory]
    [InlineData(0, 0, GemmPath.Portable)]
    [InlineData(Sse | CpuPathDetection.FmaBit, CpuPathDetection.Avx2Bit, GemmPath.Avx2)]
    [InlineData(Sse, CpuPathDetection.Avx2Bit, GemmPath.Portable)] // AVX2 without FMA
    [InlineData(Sse | CpuPathDetection.FmaBit, CpuPathDetection.Avx2Bit | CpuPathDetection.Avx512FBit, GemmPath.Avx512)]
    [InlineData(CpuPathDetection.AvxBit | CpuPathDetection.FmaBit, CpuPathDetection.Avx2Bit | CpuPathDetection.Avx512FBit, GemmPath.Portable)] // OS without XSAVE
    public void Cpuid_bits_decode_to_the_best_path(int leaf1Ecx, int leaf7Ebx, GemmPath expected) =>
        Assert.Equal(expected, CpuPathDetection.FromX86CpuId(leaf1Ecx, leaf7Ebx));

    [Fact]
    public void Cpu_path_agrees_with_the_kernels_cpu_flags()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            Assert.Equal(GemmPath.Portable, Gemm.CpuPath);
            return;
        }
        string flagsLine = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal));
        HashSet<string> flags = [.. flagsLine[(flagsLine.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        GemmPath expected = flags.Contains("avx512f") ? GemmPath.Avx512
            : flags.Contains("avx2") && flags.Contains("fma") ? GemmPath.Avx2
            : GemmPath.Portable;
        Assert.Equal(expected, Gemm.CpuPath);
    }

    [Fact]
    public void Diagnostic_is_null_exactly_when_the_active_path_is_the_cpus_best()
    {
        string? forced = Environment.GetEnvironmentVariable("FASTMLP_ISA");
        if (Gemm.ActivePath == Gemm.CpuPath)
        {
            Assert.Null(Gemm.PathDiagnostic);
        }
        else
        {
            Assert.True(Gemm.ActivePath < Gemm.CpuPath);
            Assert.Contains(string.IsNullOrEmpty(forced) ? "DOTNET_Enable" : "FASTMLP_ISA=", Gemm.PathDiagnostic);
        }
        if (string.IsNullOrEmpty(forced) && Gemm.IsSupported(Gemm.CpuPath))
        {
            Assert.Equal(Gemm.CpuPath, Gemm.ActivePath); // the JIT sees every instruction set the CPU has
        }
    }

    [Fact]
    public void Diagnostic_names_the_cause_and_the_fix()
    {
        Assert.Null(CpuPathDetection.Diagnose(GemmPath.Avx512, GemmPath.Avx512, null, isNativeAot: true));
        Assert.Null(CpuPathDetection.Diagnose(GemmPath.Avx2, GemmPath.Avx2, "avx2", isNativeAot: false));

        string aot = CpuPathDetection.Diagnose(GemmPath.Portable, GemmPath.Avx512, null, isNativeAot: true)!;
        Assert.Contains("portable path although this CPU supports avx512", aot);
        Assert.Contains("-p:IlcInstructionSet=x86-64-v4", aot);
        Assert.Contains("-p:IlcInstructionSet=x86-64-v3",
            CpuPathDetection.Diagnose(GemmPath.Portable, GemmPath.Avx2, null, isNativeAot: true));

        Assert.Contains("FASTMLP_ISA=scalar forces it",
            CpuPathDetection.Diagnose(GemmPath.Scalar, GemmPath.Avx2, " scalar ", isNativeAot: true));
        Assert.Contains("DOTNET_EnableAVX512F=0",
            CpuPathDetection.Diagnose(GemmPath.Avx2, GemmPath.Avx512, null, isNativeAot: false));
    }

    [Fact]
    public void Path_event_reaches_a_listener_with_its_payload()
    {
        using var listener = new Listener();
        FastMlpEventSource.Log.GemmPathBelowCpu("portable", "avx512", "why and how");
        EventWrittenEventArgs written = Assert.Single(listener.Events, e => e.EventId == FastMlpEventSource.GemmPathBelowCpuEventId);
        Assert.Equal(EventLevel.Warning, written.Level);
        Assert.Equal(["portable", "avx512", "why and how"], written.Payload!.Cast<string>());
    }

    private sealed class Listener : EventListener
    {
        public List<EventWrittenEventArgs> Events { get; } = [];

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "FastMlp")
            {
                EnableEvents(source, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            lock (Events)
            {
                Events.Add(e);
            }
        }
    }
}
