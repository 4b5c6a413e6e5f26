namespace FastMlp;

/// <summary>Metrics of one finished epoch, as reported to <see cref="IProgress{T}"/>.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="ValidationLoss">Loss on the validation set (NaN without one).</param>
/// <param name="ValidationMetric">Accuracy (classification) or R² (regression) on the validation set (NaN without one).</param>
/// <param name="LearningRate">The rate used during the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public readonly record struct EpochReport(int Epoch, double TrainLoss, double ValidationLoss, double ValidationMetric, double LearningRate, double Seconds);
