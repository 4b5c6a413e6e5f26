namespace FastMlp;

/// <summary>Settings of a <see cref="Trainer{T}"/>; read once when the trainer is built.</summary>
public sealed class TrainerOptions<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>What to minimize. Default <see cref="Loss.MeanSquaredError"/>.</summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;

    /// <summary>The update rule. Default Adam(lr = 1e-3).</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Adam();

    /// <summary>Rows per mini-batch; ≥ the training rows means full-batch gradient descent. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Maximum passes over the training data. Default 100.</summary>
    public int Epochs { get; set; } = 100;

    /// <summary>Per-epoch learning rate; null keeps the optimizer's rate.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Stop when the monitored loss stalls; null trains all epochs.</summary>
    public EarlyStopping? EarlyStopping { get; set; }

    /// <summary>Seed of the per-epoch shuffles.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Threads for the matrix products (default 1: the calling thread only). The trainer owns a persistent
    /// worker pool; results are bit-identical for every thread count. Products under ~1 MFLOP stay on one thread.
    /// </summary>
    public int Threads { get; set; } = 1;

    /// <summary>Shuffle the training rows every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Fit a <see cref="Standardizer{T}"/> on the training set when <see cref="Trainer{T}.Fit"/> starts and attach it to
    /// the model (used by evaluation and inference too). Default false.
    /// </summary>
    public bool Standardize { get; set; }

    /// <summary>
    /// Regression: train on standardized targets, each target column scaled to mean 0 and standard deviation 1 on the
    /// training data (so default learning rates work whatever the targets' units), and fold the scale back into the
    /// output layer when <see cref="Trainer{T}.Fit"/> returns, so the model predicts in the targets' own units. Needs an
    /// <see cref="Activation.Identity"/> output. The losses in <see cref="TrainingHistory"/> are then in standardized
    /// units (a validation MSE of 0.25 means half a standard deviation). The scaling is fitted on the trainer's first
    /// fit and kept for its later fits; that first fit takes the output layer it starts from as standardized (right
    /// for a freshly initialized model; to fine-tune a trained regression model leave this off). Applies to
    /// <see cref="Trainer{T}.Fit"/> only, not to <see cref="Trainer{T}.Step"/>; ignored for classification data.
    /// Default false.
    /// </summary>
    public bool StandardizeTargets { get; set; }

    /// <summary>
    /// Classification: the weight of each class in the training loss (<see cref="ClassWeights.Balanced"/>,
    /// <see cref="ClassWeights.Of"/>, <see cref="ClassWeights.ByName"/>); null weighs every class 1. Combined with a
    /// dataset's <see cref="Dataset{T}.SampleWeights"/> by multiplication. Resolved against the training data when
    /// <see cref="Trainer{T}.Fit"/> starts (unknown class names, a wrong count or regression data throw there).
    /// </summary>
    public ClassWeights? ClassWeights { get; set; }

    /// <summary>
    /// Inverted dropout on every hidden layer during training: each hidden unit of each row is zeroed with this
    /// probability and the kept ones scaled by 1/(1 − p), a fresh seeded mask per batch (the same for every thread
    /// count). Off in <see cref="Trainer{T}.Evaluate"/>, in the per-epoch validation and in frozen models. In [0, 1); default 0 (off).
    /// </summary>
    public double Dropout { get; set; }

    /// <summary>Divergence guard: a batch loss above this multiple of the first epoch's loss (or NaN/∞) stops the fit. Default 1000.</summary>
    public double DivergenceFactor { get; set; } = 1e3;

    /// <summary>
    /// Save a checkpoint (weights, optimizer state, schedule and early-stopping state, epoch, shuffle
    /// state) to <see cref="CheckpointDirectory"/> every this many epochs during <see cref="Trainer{T}.Fit"/>;
    /// 0 (default) saves none. Continue with <see cref="Trainer{T}.Resume"/>.
    /// </summary>
    public int CheckpointEvery { get; set; }

    /// <summary>Folder of the checkpoint file (<c>checkpoint.safetensors</c>, replaced atomically each time); created if missing.</summary>
    public string? CheckpointDirectory { get; set; }
}
