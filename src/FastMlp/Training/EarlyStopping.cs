namespace FastMlp;

/// <summary>
/// Stops a fit when the monitored loss (validation loss, or training loss without validation data) has not
/// improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs in a row.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Epochs without improvement tolerated before stopping (≥ 1).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>An epoch improves only if its loss is below best − MinDelta (≥ 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// At the end of the fit (early stop or epoch limit), put back the weights of the epoch with the best
    /// monitored loss.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    internal void Validate()
    {
        Guard.AtLeast(Patience, 1, "Early-stopping patience", " epoch");
        Guard.NonNegative(MinDelta, "Early-stopping MinDelta");
    }
}

/// <summary>Why a fit ended.</summary>
public enum TrainingStatus
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary><see cref="EarlyStopping"/> ended the fit.</summary>
    EarlyStopped,

    /// <summary>The loss became NaN/∞ or exploded; the last good weights were restored.</summary>
    Diverged,

    /// <summary>The cancellation token was signalled; the weights are those after the last completed step.</summary>
    Cancelled,
}

/// <summary>Metrics of one finished epoch, as reported to <see cref="IProgress{T}"/>.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="ValidationLoss">Loss on the validation set (NaN without one).</param>
/// <param name="ValidationMetric">Accuracy (classification) or R² (regression) on the validation set (NaN without one).</param>
/// <param name="LearningRate">The rate used during the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public readonly record struct EpochReport(int Epoch, double TrainLoss, double ValidationLoss, double ValidationMetric, double LearningRate, double Seconds);
