using FastMlp.Benchmarks.Reporting;
using Xunit;

namespace FastMlp.Tests.Benchmarks;

public class PerfTableTests
{
    [Fact]
    public void README_benchmark_tables_match_the_committed_results()
    {
        string root = TestPaths.RepositoryRoot;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string? current = PerfTable.CurrentBlock(readme);
        Assert.NotNull(current);
        string expected = PerfTable.RenderReadmeBlock(root);
        Assert.True(expected == current,
            "README.md's benchmark block is stale: run `dotnet run -c Release --project benchmarks/FastMlp.Benchmarks -- publish-results`.");
        Assert.NotEmpty(PerfTable.LoadAll(Path.Combine(root, "perf-results")));
    }

    [Fact]
    public void Rendering_puts_peers_side_by_side_with_speed_ratio_and_GFLOPs()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string json = Path.Combine(dir, "gemm.json");
        File.WriteAllText(json, """
        {"HostEnvironmentInfo":{"ProcessorName":"Test CPU","RuntimeVersion":"10.0.0"},
         "Benchmarks":[
          {"Method":"OpenBLAS","Parameters":"Shape=10x10x10","Statistics":{"Mean":2000.0},"Memory":{"BytesAllocatedPerOperation":0}},
          {"Method":"FastMlp","Parameters":"Shape=10x10x10","Statistics":{"Mean":1000.0},"Memory":{"BytesAllocatedPerOperation":0}},
          {"Method":"FastMlp","Parameters":"Shape=1x2x3","Statistics":{"Mean":4.0},"Memory":{"BytesAllocatedPerOperation":24}}
         ]}
        """);
        string md = PerfTable.Render(PerfTable.Load(json));
        Assert.Contains("| 10 × 10 × 10 | 1.00 µs | 2.00 µs | 2.0 | 1.0 | 2.00× | 0 B |", md);
        Assert.Contains("| 1 × 2 × 3 | 4.0 ns | – | 3.0 | – | – | 24 B |", md);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Onnx_runtime_int8_is_the_baseline_of_the_int8_suite()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string json = Path.Combine(dir, "int8predict.json");
        File.WriteAllText(json, """
        {"HostEnvironmentInfo":{"ProcessorName":"Test CPU","RuntimeVersion":"10.0.0"},
         "Benchmarks":[
          {"Method":"FastMlpInt8","Parameters":"Case=784-128-10 x1","Statistics":{"Mean":1000.0},"Memory":{"BytesAllocatedPerOperation":0}},
          {"Method":"OrtInt8","Parameters":"Case=784-128-10 x1","Statistics":{"Mean":3000.0},"Memory":{"BytesAllocatedPerOperation":336}}
         ]}
        """);
        string md = PerfTable.Render(PerfTable.Load(json));
        Assert.Contains("| Case | FastMlpInt8 | OrtInt8 | FastMlpInt8 speed vs OrtInt8 | FastMlpInt8 allocated |", md);
        Assert.Contains("| 784-128-10 x1 | 1.00 µs | 3.00 µs | 3.00× | 0 B |", md);
    }

    [Fact]
    public void Several_jobs_render_as_columns_with_speed_relative_to_the_first_job()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string json = Path.Combine(dir, "deployment.json");
        File.WriteAllText(json, """
        {"HostEnvironmentInfo":{"ProcessorName":"Test CPU","RuntimeVersion":"10.0.0"},
         "Benchmarks":[
          {"DisplayInfo":"DeploymentBenchmarks.'predict b1': JIT(Runtime=.NET 10.0, IterationCount=10)","Method":"PredictOne","MethodTitle":"'predict b1'","Parameters":"","Statistics":{"Mean":1000.0},"Memory":{"BytesAllocatedPerOperation":0}},
          {"DisplayInfo":"DeploymentBenchmarks.'predict b1': AOT-v2(Runtime=NativeAOT 10.0, Toolchain=AOT-v2)","Method":"PredictOne","MethodTitle":"'predict b1'","Parameters":"","Statistics":{"Mean":4000.0},"Memory":{"BytesAllocatedPerOperation":0}},
          {"DisplayInfo":"DeploymentBenchmarks.'predict b1': AOT-v4 [x=1]","Method":"PredictOne","MethodTitle":"'predict b1'","Parameters":"","Statistics":{"Mean":500.0},"Memory":{"BytesAllocatedPerOperation":8}}
         ]}
        """);
        string md = PerfTable.Render(PerfTable.Load(json));
        Assert.Contains("| Case | JIT | AOT-v2 | AOT-v4 | AOT-v2 speed vs JIT | AOT-v4 speed vs JIT | allocated |", md);
        Assert.Contains("| 'predict b1' | 1.00 µs | 4.00 µs | 500.0 ns | 0.25× | 2.00× | 8 B |", md);
        Directory.Delete(dir, true);
    }
}
