namespace FastMlp;

/// <summary>
/// The regression metrics of one target column of a multi-output model (scikit-learn's
/// <c>multioutput="raw_values"</c>): <see cref="EvaluationResult"/>'s pooled figures hide a badly predicted column
/// behind a well predicted one of larger scale.
/// </summary>
/// <param name="RootMeanSquaredError">√(1/N Σ(ŷ − y)²) over the column.</param>
/// <param name="MeanAbsoluteError">1/N Σ|ŷ − y| over the column.</param>
/// <param name="RSquared">1 − SSE/SST of the column (a constant column: 1 for a perfect fit, else 0).</param>
public readonly record struct TargetMetrics(double RootMeanSquaredError, double MeanAbsoluteError, double RSquared);
