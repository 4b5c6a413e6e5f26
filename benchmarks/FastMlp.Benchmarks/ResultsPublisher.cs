using System.Runtime.Intrinsics.X86;
using System.Text.RegularExpressions;
using FastMlp.Benchmarks.Reporting;
using FastMlp.Numerics;

namespace FastMlp.Benchmarks;

/// <summary>
/// `publish-results [artifactsDir]`: copies the latest BenchmarkDotNet full-JSON results into
/// perf-results/&lt;cpu&gt;/&lt;suite&gt;.json, writes each suite's Markdown table and the machine
/// description beside it, and regenerates the README's benchmark block from everything committed.
/// </summary>
internal static partial class ResultsPublisher
{
    public static int Run(string[] args)
    {
        string root = FindRepoRoot();
        string artifacts = args.Length > 0 ? args[0] : Path.Combine(root, "BenchmarkDotNet.Artifacts", "results");
        string[] files = Directory.Exists(artifacts) ? Directory.GetFiles(artifacts, "*-report-full.json") : [];
        foreach (string file in files)
        {
            PerfTable.Suite suite = PerfTable.Load(file);
            string cpuDir = Path.Combine(root, "perf-results", Slug(suite.Cpu));
            Directory.CreateDirectory(cpuDir);
            // FastMlp.Benchmarks.GemmBenchmarks-report-full.json → gemm
            string type = Path.GetFileName(file).Split("-report")[0].Split('.').Last();
            string name = SuiteName(type);
            string json = Path.Combine(cpuDir, name + ".json");
            File.Copy(file, json, overwrite: true);
            File.WriteAllText(Path.Combine(cpuDir, name + ".md"), PerfTable.Render(PerfTable.Load(json)));
            File.WriteAllText(Path.Combine(cpuDir, "machine.md"), MachineDescription(suite));
            Console.WriteLine($"published {Path.GetRelativePath(root, json)}");
        }

        string readmePath = Path.Combine(root, "README.md");
        string readme = File.ReadAllText(readmePath);
        File.WriteAllText(readmePath, PerfTable.ReplaceBlock(readme, PerfTable.RenderReadmeBlock(root)));
        Console.WriteLine("README.md benchmark block regenerated");
        return 0;
    }

    private static string SuiteName(string type) =>
        CamelBoundary().Replace(type.Replace("Benchmarks", "", StringComparison.Ordinal), "$1-$2").ToLowerInvariant();

    private static string MachineDescription(PerfTable.Suite suite) =>
        $"""
        # Machine
        - CPU: {suite.Cpu}, {Environment.ProcessorCount} logical cores
        - Runtime: {suite.Runtime}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}
        - ISA: AVX-512F {Avx512F.IsSupported}, AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}; FastMlp GEMM path: {Gemm.ActivePath}
        - OpenBLAS: {(OpenBlas.IsAvailable ? OpenBlas.CoreName + " kernel, OPENBLAS_NUM_THREADS=1" : "not installed")}

        """;

    public static string Slug(string cpu) => NonWord().Replace(cpu.ToLowerInvariant(), "-").Trim('-');

    /// <summary>The repository root: the first folder holding FastMlp.sln above the binaries or the current folder.</summary>
    internal static string FindRepoRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "FastMlp.sln")))
                {
                    return dir;
                }
            }
        }
        throw new InvalidOperationException("Run this from inside the FastMlp repository (FastMlp.sln not found).");
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex CamelBoundary();
}
