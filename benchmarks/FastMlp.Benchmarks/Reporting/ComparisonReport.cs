namespace FastMlp.Benchmarks.Reporting;

/// <summary>The outcome of <see cref="ResultComparer.Compare"/>: the benchmarks in both sets, those only in head (added) or only in base (removed), and the thresholds used.</summary>
public sealed record ComparisonReport(
    IReadOnlyList<BenchmarkComparison> Compared, IReadOnlyList<string> Added, IReadOnlyList<string> Removed,
    double Threshold, double Alpha)
{
    public IEnumerable<BenchmarkComparison> Regressions => Compared.Where(c => c.IsRegression);

    public bool HasRegression => Compared.Any(c => c.IsRegression);
}
