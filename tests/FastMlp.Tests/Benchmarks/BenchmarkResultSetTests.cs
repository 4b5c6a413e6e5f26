using FastMlp.Benchmarks.Reporting;
using Xunit;

namespace FastMlp.Tests.Benchmarks;

/// <summary>Reading BenchmarkDotNet full-JSON exports for `compare`.</summary>
public class BenchmarkResultSetTests
{
    private const string Export = """
    {"Benchmarks":[{"Type":"GemmBenchmarks","Method":"FastMlp","Parameters":"Shape=1x2x3",
      "FullName":"FastMlp.Benchmarks.GemmBenchmarks.FastMlp(Shape: \"1x2x3\")",
      "Memory":{"BytesAllocatedPerOperation":24},
      "Measurements":[
        {"IterationMode":"Overhead","IterationStage":"Actual","Operations":4,"Nanoseconds":4},
        {"IterationMode":"Workload","IterationStage":"Actual","Operations":4,"Nanoseconds":999},
        {"IterationMode":"Workload","IterationStage":"Result","Operations":4,"Nanoseconds":400},
        {"IterationMode":"Workload","IterationStage":"Result","Operations":4,"Nanoseconds":440}]}]}
    """;

    [Fact]
    public void Only_workload_result_iterations_count_as_ns_per_op()
    {
        BenchmarkResult r = BenchmarkResultSet.Parse(Export).Single();
        Assert.Equal([100.0, 110.0], r.NanosecondsPerOp);
        Assert.Equal(24, r.AllocatedBytesPerOp);
        Assert.Equal("GemmBenchmarks.FastMlp [Shape=1x2x3]", r.DisplayName);
        Assert.StartsWith("FastMlp.Benchmarks.GemmBenchmarks.FastMlp(", r.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_of_runs_pools_the_iterations_of_each_case()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        Directory.CreateDirectory(Path.Combine(dir, "run1"));
        Directory.CreateDirectory(Path.Combine(dir, "run2"));
        File.WriteAllText(Path.Combine(dir, "run1", "x-report-full.json"), Export);
        File.WriteAllText(Path.Combine(dir, "run2", "x-report-full.json"), Export);
        BenchmarkResult r = BenchmarkResultSet.LoadPath(dir).Values.Single();
        Assert.Equal(4, r.NanosecondsPerOp.Count);
    }

    [Fact]
    public void The_committed_results_load()
    {
        string json = Path.Combine(TestPaths.RepositoryRoot, "perf-results", "amd-epyc", "gemm.json");
        IReadOnlyDictionary<string, BenchmarkResult> set = BenchmarkResultSet.LoadPath(json);
        Assert.NotEmpty(set);
        Assert.All(set.Values, r => Assert.True(r.NanosecondsPerOp.Count >= 2));
        Assert.False(ResultComparer.Compare(set, set).HasRegression);
    }

    [Theory]
    [InlineData("{bad", "invalid JSON")]
    [InlineData("{\"Title\":1}", "no \"Benchmarks\" array")]
    [InlineData("[]", "no \"Benchmarks\" array")]
    public void Bad_input_is_one_readable_error(string json, string expected)
    {
        var e = Assert.Throws<BenchmarkResultsException>(() => BenchmarkResultSet.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_is_reported()
    {
        var e = Assert.Throws<BenchmarkResultsException>(() => BenchmarkResultSet.LoadPath("/no/such/results.json"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }
}
