namespace FastMlp.Benchmarks.Reporting;

/// <summary>How head's time compares with base's (<see cref="ResultComparer"/>); NotEnoughData when a side has fewer than two iterations or base has no time.</summary>
public enum TimeVerdict { Same, Faster, Slower, NotEnoughData }
