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
