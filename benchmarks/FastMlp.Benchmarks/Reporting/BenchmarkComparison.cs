namespace FastMlp.Benchmarks.Reporting;

/// <summary>One benchmark present in both base and head.</summary>
public sealed record BenchmarkComparison(
    string Key, string DisplayName, double BaseMedianNs, double HeadMedianNs, double PValue,
    TimeVerdict Time, long? BaseAllocatedBytes, long? HeadAllocatedBytes, bool AllocationRegressed)
{
    /// <summary>Head median over base median: above 1 = head slower.</summary>
    public double Ratio => BaseMedianNs > 0 ? HeadMedianNs / BaseMedianNs : double.NaN;

    public bool IsRegression => Time == TimeVerdict.Slower || AllocationRegressed;
}
