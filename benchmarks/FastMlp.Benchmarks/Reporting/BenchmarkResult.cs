namespace FastMlp.Benchmarks.Reporting;

/// <summary>One benchmark case from a BenchmarkDotNet full-JSON export: its raw per-operation times and allocation.</summary>
/// <param name="Key">Identity used to pair base and head: the FullName (type + method + parameters).</param>
/// <param name="DisplayName">Short name for tables: Type.Method [Parameters].</param>
/// <param name="NanosecondsPerOp">Workload/Result iterations, Nanoseconds / Operations each.</param>
/// <param name="AllocatedBytesPerOp">Null when the run had no MemoryDiagnoser.</param>
public sealed record BenchmarkResult(string Key, string DisplayName, IReadOnlyList<double> NanosecondsPerOp, long? AllocatedBytesPerOp)
{
    /// <summary>
    /// The median of each run (process launch) pooled into this result, in order; empty means one
    /// launch whose median is that of <see cref="NanosecondsPerOp"/>.
    /// </summary>
    public IReadOnlyList<double> LaunchMedians { get; init; } = [];

    /// <summary>Per-launch medians, treating a result without them as a single launch.</summary>
    public IReadOnlyList<double> Launches => LaunchMedians.Count > 0 ? LaunchMedians : [ResultComparer.Median(NanosecondsPerOp)];
}
