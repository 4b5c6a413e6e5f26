namespace FastMlp;

/// <summary>
/// Stops a fit when the monitored value (<see cref="Monitor"/>: by default the validation loss, or the training loss
/// without validation data) has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs in a row.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Epochs without improvement tolerated before stopping (≥ 1).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>An epoch improves only if its monitored value beats the best by more than MinDelta (≥ 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// What to watch: <see cref="EarlyStoppingMetric.Loss"/> (default) or a validation metric such as
    /// <see cref="EarlyStoppingMetric.RocAuc"/> (a metric needs validation data; a classification metric a classification,
    /// <see cref="EarlyStoppingMetric.RSquared"/> a regression). Watching a metric builds an <see cref="EvaluationResult"/>
    /// after each epoch (a few small arrays per epoch; the batches stay allocation-free). Learning-rate schedules keep
    /// watching the loss.
    /// </summary>
    public EarlyStoppingMetric Monitor { get; init; }

    /// <summary>
    /// At the end of the fit (early stop or epoch limit), put back the weights of the epoch with the best
    /// monitored loss.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Whether a larger value of the monitored metric is better.</summary>
    internal bool HigherIsBetter => Monitor is not (EarlyStoppingMetric.Loss or EarlyStoppingMetric.LogLoss);

    /// <summary>The monitored metric of a validation result.</summary>
    internal double Read(EvaluationResult result) => Monitor switch
    {
        EarlyStoppingMetric.Accuracy => result.Accuracy,
        EarlyStoppingMetric.BalancedAccuracy => result.BalancedAccuracy,
        EarlyStoppingMetric.F1 => result.MacroAverage.F1,
        EarlyStoppingMetric.RocAuc => result.RocAuc,
        EarlyStoppingMetric.LogLoss => result.LogLoss,
        EarlyStoppingMetric.RSquared => result.RSquared,
        _ => result.Loss,
    };

    internal void Validate()
    {
        Guard.AtLeast(Patience, 1, "Early-stopping patience", " epoch");
        Guard.NonNegative(MinDelta, "Early-stopping MinDelta");
        Guard.Defined(Monitor);
    }
}
