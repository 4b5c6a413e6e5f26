namespace FastMlp;

/// <summary>
/// The loop state of one <see cref="Trainer{T}.Fit"/> beyond the weights, optimizer moments and history: what the
/// early-stopping rule, the divergence guard and the schedules read between epochs. A checkpoint stores exactly this
/// (by name), so a resumed fit continues from the same state.
/// </summary>
internal sealed class FitState
{
    /// <summary>Epochs finished (the next epoch to run).</summary>
    public int CompletedEpochs { get; set; }

    /// <summary>
    /// Lowest monitored value so far: the validation loss with validation data, else the training loss; or the
    /// early-stopping metric, negated when higher is better.
    /// </summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Epochs since the monitored loss last improved by more than the early-stopping MinDelta.</summary>
    public int EpochsSinceBest { get; set; }

    /// <summary>Mean training loss of the first epoch: the divergence guard's reference from the second epoch on.</summary>
    public double FirstEpochLoss { get; set; } = double.NaN;

    /// <summary>Loss of the first batch: the divergence guard's reference during the first epoch.</summary>
    public double FirstStepLoss { get; set; } = double.NaN;

    /// <summary>Training rows processed (what <see cref="LearningRateSchedule.InverseScaling"/> counts).</summary>
    public long SamplesSeen { get; set; }
}
