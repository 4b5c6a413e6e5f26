using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace FastMlp.Benchmarks;

/// <summary>
/// Process start-up to exit of `fastmlp --help`: the JIT tool (apphost + FastMlp.Cli.dll, as `dotnet tool
/// install` runs it) against the NativeAOT binary given by FASTMLP_NATIVE_CLI (run by `deploy`).
/// </summary>
[BenchmarkCategory("Deploy")]
public class StartupBenchmarks
{
    private string _executable = "";

    [Params("JIT tool", "NativeAOT")]
    public string Cli { get; set; } = "JIT tool";

    [GlobalSetup]
    public void Setup()
    {
        _executable = Cli == "NativeAOT"
            ? Environment.GetEnvironmentVariable("FASTMLP_NATIVE_CLI") ?? throw new InvalidOperationException("Set FASTMLP_NATIVE_CLI to the NativeAOT fastmlp binary.")
            : Path.Combine(ResultsPublisher.FindRepoRoot(), "src", "FastMlp.Cli", "bin", "Release", "net10.0", "FastMlp.Cli");
        if (!File.Exists(_executable))
        {
            throw new FileNotFoundException($"{_executable} not found: build or publish the CLI first.", _executable);
        }
    }

    [Benchmark(Description = "fastmlp --help")]
    public int Help()
    {
        using Process process = Process.Start(new ProcessStartInfo(_executable, "--help") { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
