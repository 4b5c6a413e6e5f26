namespace FastMlp;

/// <summary>
/// What happened during <see cref="Trainer{T}.Fit"/>: per-epoch curves and how the fit ended. Room for up
/// to <see cref="PreallocatedEpochs"/> epochs is reserved up front (recording them allocates nothing); longer fits
/// double the storage when it is full, so <c>Epochs = int.MaxValue</c> costs memory only for epochs that run.
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>Epochs recorded without any allocation (the initial capacity when a fit asks for more).</summary>
    public const int PreallocatedEpochs = 1024;

    private double[] _trainLoss, _validationLoss, _metric, _learningRate, _seconds;

    internal TrainingHistory(int epochs)
    {
        int capacity = Math.Clamp(epochs, 1, PreallocatedEpochs);
        _trainLoss = new double[capacity];
        _validationLoss = new double[capacity];
        _metric = new double[capacity];
        _learningRate = new double[capacity];
        _seconds = new double[capacity];
    }

    /// <summary>Epochs completed.</summary>
    public int EpochCount { get; private set; }

    /// <summary>Mean training loss per epoch.</summary>
    public ReadOnlySpan<double> TrainLoss => _trainLoss.AsSpan(0, EpochCount);

    /// <summary>Validation loss per epoch (NaN without validation data).</summary>
    public ReadOnlySpan<double> ValidationLoss => _validationLoss.AsSpan(0, EpochCount);

    /// <summary>Validation accuracy (classification) or R² (regression) per epoch (NaN without validation data).</summary>
    public ReadOnlySpan<double> ValidationMetric => _metric.AsSpan(0, EpochCount);

    /// <summary>Learning rate used in each epoch.</summary>
    public ReadOnlySpan<double> LearningRate => _learningRate.AsSpan(0, EpochCount);

    /// <summary>Wall-clock seconds per epoch.</summary>
    public ReadOnlySpan<double> Seconds => _seconds.AsSpan(0, EpochCount);

    /// <summary>Why the fit ended.</summary>
    public TrainingStatus Status { get; internal set; }

    /// <summary>Epochs restored from a checkpoint by <see cref="Trainer{T}.Resume"/> (0 for a fresh fit); they count in <see cref="EpochCount"/>.</summary>
    public int ResumedEpochs { get; internal set; }

    /// <summary>Epoch with the lowest monitored loss (−1 if none finished).</summary>
    public int BestEpoch { get; internal set; } = -1;

    /// <summary>Whether the best epoch's weights were put back at the end (<see cref="EarlyStopping.RestoreBestWeights"/>).</summary>
    public bool RestoredBestWeights { get; internal set; }

    /// <summary>On divergence: the 0-based epoch in which it happened (else −1).</summary>
    public int DivergedEpoch { get; internal set; } = -1;

    /// <summary>On divergence: the 0-based step (batch) within that epoch (else −1).</summary>
    public int DivergedStep { get; internal set; } = -1;

    /// <summary>On divergence: the learning rate in use (else NaN).</summary>
    public double DivergedLearningRate { get; internal set; } = double.NaN;

    /// <summary>On divergence: the offending loss value (else NaN).</summary>
    public double DivergedLoss { get; internal set; } = double.NaN;

    /// <summary>A one-line, human-readable account of how the fit ended (epochs and steps counted from 1 here; the properties are 0-based indices).</summary>
    public string Message => Status switch
    {
        TrainingStatus.Diverged => FormattableString.Invariant(
            $"Training diverged in epoch {DivergedEpoch + 1}, step {DivergedStep + 1}, at learning rate {DivergedLearningRate:G4} (loss {DivergedLoss:G4}); the weights of the last good epoch were restored. Try a smaller learning rate."),
        TrainingStatus.EarlyStopped => FormattableString.Invariant(
            $"Stopped early after epoch {EpochCount}; best epoch {BestEpoch + 1}{(RestoredBestWeights ? " (its weights restored)" : "")}."),
        TrainingStatus.Cancelled => FormattableString.Invariant($"Cancelled after {EpochCount} epochs."),
        _ when ResumedEpochs > 0 && ResumedEpochs == EpochCount => FormattableString.Invariant(
            $"Completed {EpochCount} epochs, all before the checkpoint: nothing left to run{(RestoredBestWeights ? $"; best epoch {BestEpoch + 1} restored" : "")}."),
        _ => FormattableString.Invariant($"Completed {EpochCount} epochs{(RestoredBestWeights ? $"; best epoch {BestEpoch + 1} restored" : "")}."),
    };

    internal void Add(double trainLoss, double validationLoss, double metric, double learningRate, double seconds)
    {
        int i = EpochCount;
        if (i == _trainLoss.Length)
        {
            Grow();
        }
        _trainLoss[i] = trainLoss;
        _validationLoss[i] = validationLoss;
        _metric[i] = metric;
        _learningRate[i] = learningRate;
        _seconds[i] = seconds;
        EpochCount = i + 1;
    }

    /// <summary>Doubles the storage (amortised O(1) per epoch; at most ~31 times, once per doubling).</summary>
    private void Grow()
    {
        int capacity = (int)Math.Min((long)_trainLoss.Length * 2, Array.MaxLength);
        Array.Resize(ref _trainLoss, capacity);
        Array.Resize(ref _validationLoss, capacity);
        Array.Resize(ref _metric, capacity);
        Array.Resize(ref _learningRate, capacity);
        Array.Resize(ref _seconds, capacity);
    }
}
