namespace FastMlp.Benchmarks.Reporting;

/// <summary>Thrown for results that cannot be read; the compare command reports its message on one line.</summary>
public sealed class BenchmarkResultsException(string message, Exception? inner = null) : Exception(message, inner);
