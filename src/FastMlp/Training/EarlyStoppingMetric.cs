namespace FastMlp;

/// <summary>What <see cref="EarlyStopping"/> watches on the validation data after every epoch.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>The validation loss (the training loss without validation data); lower is better. The default.</summary>
    Loss,

    /// <summary>Classification accuracy; higher is better.</summary>
    Accuracy,

    /// <summary>Mean recall over the classes present (<see cref="EvaluationResult.BalancedAccuracy"/>); higher is better.</summary>
    BalancedAccuracy,

    /// <summary>Macro-averaged F1 (<see cref="EvaluationResult.MacroAverage"/>); higher is better.</summary>
    F1,

    /// <summary>ROC-AUC (binary, or one-vs-rest macro; <see cref="EvaluationResult.RocAuc"/>); higher is better.</summary>
    RocAuc,

    /// <summary>Log-loss of the predicted probabilities; lower is better.</summary>
    LogLoss,

    /// <summary>Regression R² (averaged over outputs); higher is better.</summary>
    RSquared,
}
