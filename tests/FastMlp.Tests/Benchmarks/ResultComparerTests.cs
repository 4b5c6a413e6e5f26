using FastMlp.Benchmarks.Reporting;
using Xunit;

namespace FastMlp.Tests.Benchmarks;

/// <summary>The `compare` command's decisions on synthetic result sets with seeded noise.</summary>
public class ResultComparerTests
{
    private static readonly string[] Cases = ["Gemm.FastMlp [Shape=64x128x784]", "Gemm.FastMlp [Shape=512x512x512]", "Gemm.OpenBLAS [Shape=64x128x784]"];

    /// <summary>15 iterations around <paramref name="medianNs"/> with ±<paramref name="noise"/> uniform relative noise.</summary>
    private static double[] Samples(double medianNs, double noise, int seed, int count = 15)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => medianNs * (1 + (noise * ((rng.NextDouble() * 2) - 1)))).ToArray();
    }

    private static Dictionary<string, BenchmarkResult> Set(int seed, double scale = 1.0, double noise = 0.02, long allocated = 0, IEnumerable<string>? names = null)
    {
        var set = new Dictionary<string, BenchmarkResult>();
        int i = 0;
        foreach (string name in names ?? Cases)
        {
            set[name] = new BenchmarkResult(name, name, Samples(1000.0 * ++i * scale, noise, seed + i), allocated);
        }
        return set;
    }

    [Fact]
    public void A_20_percent_slowdown_is_a_regression()
    {
        ComparisonReport report = ResultComparer.Compare(Set(seed: 1), Set(seed: 100, scale: 1.2));
        Assert.True(report.HasRegression);
        Assert.All(report.Compared, c => Assert.Equal(TimeVerdict.Slower, c.Time));
        Assert.All(report.Compared, c => Assert.InRange(c.Ratio, 1.15, 1.25));
        Assert.Contains("slower", ResultComparer.RenderMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_20_percent_speedup_is_faster_and_not_a_regression()
    {
        ComparisonReport report = ResultComparer.Compare(Set(seed: 1), Set(seed: 100, scale: 1 / 1.2));
        Assert.False(report.HasRegression);
        Assert.All(report.Compared, c => Assert.Equal(TimeVerdict.Faster, c.Time));
    }

    [Theory]
    [InlineData(1.03)]
    [InlineData(0.97)]
    [InlineData(1.0)]
    public void Noise_and_shifts_within_the_threshold_are_not_regressions(double scale)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            // ±3 % per-iteration noise plus a ±3 % shift: possibly significant, but under the 5 % threshold.
            ComparisonReport report = ResultComparer.Compare(Set(seed, noise: 0.03), Set(seed + 1000, scale, noise: 0.03));
            Assert.False(report.HasRegression, $"seed {seed}, scale {scale}");
            Assert.All(report.Compared, c => Assert.Equal(TimeVerdict.Same, c.Time));
        }
    }

    [Fact]
    public void A_new_allocation_is_a_regression_even_when_time_is_unchanged()
    {
        ComparisonReport report = ResultComparer.Compare(Set(seed: 1, allocated: 0), Set(seed: 1, allocated: 24));
        Assert.True(report.HasRegression);
        Assert.All(report.Compared, c => Assert.True(c.AllocationRegressed));
        Assert.All(report.Compared, c => Assert.Equal(TimeVerdict.Same, c.Time));
        Assert.Contains("allocates more", ResultComparer.RenderMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_allocations_or_unknown_allocations_are_not_regressions()
    {
        Assert.False(ResultComparer.Compare(Set(1, allocated: 48), Set(1, allocated: 24)).HasRegression);
        Dictionary<string, BenchmarkResult> unknown = Set(1).ToDictionary(kv => kv.Key, kv => kv.Value with { AllocatedBytesPerOp = null });
        Assert.False(ResultComparer.Compare(unknown, Set(1, allocated: 24)).HasRegression);
    }

    [Fact]
    public void Added_and_removed_benchmarks_are_reported_without_failing()
    {
        ComparisonReport report = ResultComparer.Compare(
            Set(1, names: ["Kept", "Dropped"]), Set(2, names: ["Kept", "Brand new"]));
        Assert.Equal(["Brand new"], report.Added);
        Assert.Equal(["Dropped"], report.Removed);
        Assert.Single(report.Compared);
        Assert.False(report.HasRegression);
        string md = ResultComparer.RenderMarkdown(report);
        Assert.Contains("Added (head only):\n- Brand new", md, StringComparison.Ordinal);
        Assert.Contains("Removed (base only):\n- Dropped", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_inputs_are_the_same_everywhere()
    {
        Dictionary<string, BenchmarkResult> set = Set(7, noise: 0.1);
        ComparisonReport report = ResultComparer.Compare(set, set);
        Assert.False(report.HasRegression);
        Assert.Empty(report.Added);
        Assert.Empty(report.Removed);
        Assert.All(report.Compared, c => Assert.Equal(1.0, c.Ratio));
        Assert.All(report.Compared, c => Assert.Equal(1.0, c.PValue, 6));
    }

    [Fact]
    public void Table_is_sorted_worst_ratio_first()
    {
        Dictionary<string, BenchmarkResult> head = Set(2);
        head[Cases[1]] = head[Cases[1]] with { NanosecondsPerOp = Samples(2000 * 1.5, 0.02, 9) };
        head[Cases[2]] = head[Cases[2]] with { NanosecondsPerOp = Samples(3000 * 0.7, 0.02, 9) };
        ComparisonReport report = ResultComparer.Compare(Set(1), head);
        Assert.Equal([Cases[1], Cases[0], Cases[2]], report.Compared.Select(c => c.Key));
    }

    [Fact]
    public void Too_few_iterations_give_no_verdict_rather_than_a_false_alarm()
    {
        // A Dry job has one iteration: nothing to test, so never a time regression.
        var one = new Dictionary<string, BenchmarkResult> { ["x"] = new("x", "x", [100.0], 0) };
        var slow = new Dictionary<string, BenchmarkResult> { ["x"] = new("x", "x", [200.0], 0) };
        ComparisonReport report = ResultComparer.Compare(one, slow);
        Assert.Equal(TimeVerdict.NotEnoughData, report.Compared.Single().Time);
        Assert.False(report.HasRegression);
    }

    [Fact]
    public void Mann_Whitney_matches_reference_values()
    {
        Assert.Equal(1.0, MannWhitney.Erfc(0), 6);
        Assert.Equal(0.0455, MannWhitney.Erfc(2 / Math.Sqrt(2)), 4); // two-sided p at z = 2
        // Fully separated 10 vs 10: U = 0, z = (50 − 0.5) / √175 ≈ 3.742 → p ≈ 1.83e-4 (normal approximation).
        double[] low = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        double[] high = Enumerable.Range(11, 10).Select(i => (double)i).ToArray();
        Assert.Equal(1.83e-4, MannWhitney.TwoSidedPValue(low, high), 5);
        Assert.Equal(MannWhitney.TwoSidedPValue(low, high), MannWhitney.TwoSidedPValue(high, low), 12);
        Assert.Equal(1.0, MannWhitney.TwoSidedPValue([5, 5, 5], [5, 5, 5]));
        Assert.Equal(1.0, MannWhitney.TwoSidedPValue([], [1, 2]));
    }

    private static IReadOnlyDictionary<string, BenchmarkResult> Launches(int seed, params double[] launchMedians) =>
        BenchmarkResultSet.Merge(launchMedians.Select((m, i) => (IReadOnlyList<BenchmarkResult>)[
            new BenchmarkResult("Step", "Step", Samples(m, 0.02, seed + i, count: 10), 0)]));

    [Fact]
    public void One_launch_in_a_slow_mode_is_not_a_regression()
    {
        // Same build, two launches per side; one head process landed in a slow mode (+38 %), as measured here.
        ComparisonReport report = ResultComparer.Compare(Launches(1, 6000, 6080), Launches(10, 8300, 6140));
        Assert.False(report.HasRegression, ResultComparer.RenderMarkdown(report));
    }

    [Fact]
    public void A_slowdown_in_every_launch_is_a_regression()
    {
        ComparisonReport report = ResultComparer.Compare(Launches(1, 6000, 6080), Launches(10, 7300, 7350));
        Assert.True(report.HasRegression, ResultComparer.RenderMarkdown(report));
        Assert.Equal(TimeVerdict.Slower, report.Compared.Single().Time);
    }
}
