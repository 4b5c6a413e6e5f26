namespace FastMlp;

/// <summary>The score whose drop <see cref="PermutationImportance"/> measures (every one oriented so that higher is better).</summary>
public enum ImportanceMetric
{
    /// <summary><see cref="Accuracy"/> for classification, <see cref="RSquared"/> for regression (scikit-learn's default scorers).</summary>
    Default,

    /// <summary><see cref="EvaluationResult.Accuracy"/>.</summary>
    Accuracy,

    /// <summary><see cref="EvaluationResult.BalancedAccuracy"/>.</summary>
    BalancedAccuracy,

    /// <summary>The macro-averaged F1 (<see cref="EvaluationResult.MacroAverage"/>).</summary>
    MacroF1,

    /// <summary><see cref="EvaluationResult.RocAuc"/>.</summary>
    RocAuc,

    /// <summary>Minus <see cref="EvaluationResult.LogLoss"/> (scikit-learn's <c>neg_log_loss</c>).</summary>
    NegativeLogLoss,

    /// <summary><see cref="EvaluationResult.RSquared"/>.</summary>
    RSquared,

    /// <summary>Minus <see cref="EvaluationResult.RootMeanSquaredError"/> (scikit-learn's <c>neg_root_mean_squared_error</c>).</summary>
    NegativeRootMeanSquaredError,

    /// <summary>Minus <see cref="EvaluationResult.MeanAbsoluteError"/> (scikit-learn's <c>neg_mean_absolute_error</c>).</summary>
    NegativeMeanAbsoluteError,
}
