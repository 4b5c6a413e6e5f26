using System.Diagnostics;
using FastMlp.Numerics;

namespace FastMlp.Cli.Tests;

/// <summary>The train header warns when GEMM runs a slower path than the CPU supports (here forced by FASTMLP_ISA in a child process).</summary>
public sealed class GemmPathWarningTests
{
    [Fact]
    public void TrainHeaderWarnsWhenThePathIsSlowerThanTheCpus()
    {
        using TempFolder temp = CliRunner.Temp();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[Path.Combine(AppContext.BaseDirectory, "FastMlp.Cli.dll"), "train", "--dataset", "digits", "--epochs", "1", "--out", temp.Path])
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["FASTMLP_ISA"] = "portable";
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());

        Assert.Contains("GEMM path Portable", output);
        if (Gemm.CpuPath > GemmPath.Portable)
        {
            Assert.Contains($"Warning: GEMM runs the portable path although this CPU supports {Gemm.CpuPath.ToString().ToLowerInvariant()}: FASTMLP_ISA=portable forces it.", output);
        }
        else
        {
            Assert.DoesNotContain("Warning: GEMM", output);
        }
    }
}
