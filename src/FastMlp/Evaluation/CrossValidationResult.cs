namespace FastMlp;

/// <summary>The test-fold scores of a <see cref="CrossValidation"/> run, and their mean and spread.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(IReadOnlyList<EvaluationResult> folds, IReadOnlyList<TrainingHistory> histories)
    {
        Folds = folds;
        Histories = histories;
    }

    /// <summary>Each fold's metrics on its test rows, in fold order.</summary>
    public IReadOnlyList<EvaluationResult> Folds { get; }

    /// <summary>Each fold's training history (how it ended, its epochs).</summary>
    public IReadOnlyList<TrainingHistory> Histories { get; }

    /// <summary>
    /// Mean and standard deviation over the folds of a metric, e.g. <c>Summary(r =&gt; r.RocAuc)</c>. The deviation is the
    /// population one (NumPy's default <c>std</c>, as reported for scikit-learn's <c>cross_val_score</c>); folds where the
    /// metric is undefined (NaN) are left out, and with none defined both are NaN.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is null.</exception>
    public (double Mean, double StandardDeviation) Summary(Func<EvaluationResult, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        double[] values = [.. Folds.Select(metric).Where(v => !double.IsNaN(v))];
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length));
    }
}
