namespace FastMlp;

/// <summary>
/// Metrics of a model on a dataset (<see cref="Trainer{T}.Evaluate"/>, <see cref="InferenceModel{T}.Evaluate"/>),
/// defined as scikit-learn defines them. Classification metrics are NaN (or null) for regression and the
/// regression metrics NaN for classification.
/// </summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(double loss, int rows)
    {
        Loss = loss;
        Rows = rows;
    }

    /// <summary>Mean loss (the trainer's loss function; for <see cref="InferenceModel{T}.Evaluate"/> the cross-entropy of the predicted probabilities, or the model's regression loss).</summary>
    public double Loss { get; }

    /// <summary>Rows evaluated.</summary>
    public int Rows { get; }

    /// <summary>
    /// Classification: fraction of rows whose predicted class is the label (the arg-max output, or for a
    /// binary model the positive class when its probability exceeds <see cref="Mlp{T}.DecisionThreshold"/>). NaN for regression.
    /// </summary>
    public double Accuracy { get; internal init; } = double.NaN;

    /// <summary>
    /// Classification: the mean of the per-class recalls over the classes present in the data (scikit-learn's
    /// <c>balanced_accuracy_score</c>; classes only predicted are left out, as there). NaN for regression.
    /// </summary>
    public double BalancedAccuracy { get; internal init; } = double.NaN;

    /// <summary>Classification: counts[true class, predicted class]. Null for regression.</summary>
    public int[,]? ConfusionMatrix { get; internal init; }

    /// <summary>
    /// Classification: precision, recall, F1 and support per class, in class order (every class of the model,
    /// present or not). Null for regression.
    /// </summary>
    public IReadOnlyList<ClassMetrics>? PerClass { get; internal init; }

    /// <summary>
    /// Classification: the unweighted mean of <see cref="PerClass"/> over the classes that occur in the data or in
    /// the predictions (scikit-learn's <c>average="macro"</c> with its default labels); Support is their total.
    /// </summary>
    public ClassMetrics MacroAverage { get; internal init; } = new(double.NaN, double.NaN, double.NaN, 0);

    /// <summary>Classification: the mean of <see cref="PerClass"/> weighted by support (scikit-learn's <c>average="weighted"</c>).</summary>
    public ClassMetrics WeightedAverage { get; internal init; } = new(double.NaN, double.NaN, double.NaN, 0);

    /// <summary>
    /// Classification: area under the ROC curve. Binary: of the positive class's probability, rank-based with tied
    /// scores given their average rank (equal to scikit-learn's <c>roc_auc_score</c>). More classes: one-vs-rest,
    /// macro-averaged over the classes that have both positive and negative rows. NaN when the data hold a single
    /// class (scikit-learn raises there) and for regression.
    /// </summary>
    public double RocAuc { get; internal init; } = double.NaN;

    /// <summary>
    /// Classification: mean negative log-probability of the true class, probabilities clipped to [ε, 1 − ε] with ε
    /// the machine epsilon of the model's element type (2⁻²³ for float, 2⁻⁵² for double), as scikit-learn's
    /// <c>log_loss</c> (≥ 1.5) does for that dtype; rows are not renormalized. NaN for regression.
    /// </summary>
    public double LogLoss { get; internal init; } = double.NaN;

    /// <summary>Regression: 1/(N·K) Σ(ŷ − y)². NaN for classification.</summary>
    public double MeanSquaredError { get; internal init; } = double.NaN;

    /// <summary>Regression: √MSE.</summary>
    public double RootMeanSquaredError => Math.Sqrt(MeanSquaredError);

    /// <summary>Regression: 1/(N·K) Σ|ŷ − y|.</summary>
    public double MeanAbsoluteError { get; internal init; } = double.NaN;

    /// <summary>Regression: coefficient of determination, averaged uniformly over outputs (as scikit-learn's r2_score).</summary>
    public double RSquared { get; internal init; } = double.NaN;

    /// <summary>Regression with several outputs: each target column's own RMSE, MAE and R², in output order; null otherwise.</summary>
    public IReadOnlyList<TargetMetrics>? PerTarget { get; internal init; }
}
