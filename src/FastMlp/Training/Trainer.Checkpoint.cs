using System.Globalization;
using FastMlp.Numerics;
using FastMlp.Serialization;

namespace FastMlp;

/// <summary>
/// Checkpoints: one safetensors file holding the model (so <see cref="Mlp{T}.Load(string)"/> cannot read it by
/// mistake, trainer tensors are prefixed <c>trainer.</c> and only <see cref="Resume"/> accepts them) and the
/// trainer state at the end of an epoch. The shuffle RNG and stateful schedules are not serialized but
/// replayed: the RNG is re-seeded and shuffles once per finished epoch; the schedule is reset and fed the
/// recorded losses. Both are deterministic, so a resumed fit follows the uninterrupted one bit for bit.
/// </summary>
public sealed partial class Trainer<T>
{
    /// <summary>File name of the checkpoint inside <see cref="TrainerOptions{T}.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "checkpoint.safetensors";

    private const string Prefix = "trainer.";

    private int _checkpointEvery;
    private string? _checkpointDirectory;
    private SafeTensors? _resume;
    private string _resumeSource = "";

    /// <summary>
    /// A trainer that continues the fit saved in <paramref name="checkpointDirectory"/>: the model, optimizer
    /// state, schedule, early stopping, epoch and shuffle order are restored, and the next <see cref="Fit"/>
    /// (called with the same data) runs the remaining epochs. <paramref name="options"/> must describe the same
    /// training as the one checkpointed (loss, optimizer, batch size, seed, shuffle; the schedule and early-stopping
    /// objects must be configured alike). <see cref="TrainerOptions{T}.Epochs"/> may differ: more than the checkpoint's
    /// completed epochs continues the fit; exactly as many makes <see cref="Fit"/> return at once (status Completed,
    /// nothing run: see <see cref="TrainingHistory.ResumedEpochs"/>); fewer is refused here. The checkpoint records the
    /// row counts and XxHash3 checksums of the training and validation data: <see cref="Fit"/> refuses other data
    /// (<see cref="ArgumentException"/> with <see cref="ArgumentException.ParamName"/> "train" or "validation",
    /// before the model is touched).
    /// </summary>
    /// <exception cref="ModelFormatException">The checkpoint is missing parts or corrupt.</exception>
    /// <exception cref="ArgumentException">The options disagree with the checkpoint; ParamName "options.Epochs" when
    /// Epochs is below the checkpoint's completed epochs.</exception>
    public static Trainer<T> Resume(string checkpointDirectory, TrainerOptions<T> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        ArgumentNullException.ThrowIfNull(options);
        string path = Path.Combine(checkpointDirectory, CheckpointFileName);
        SafeTensors file;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            file = SafeTensors.Read(stream, path);
        }
        Mlp<T> model = ModelFile<T>.Read(file, path, Prefix);
        var trainer = new Trainer<T>(model, options);
        try
        {
            trainer.CheckMatches(file, path);
            trainer.CheckEpochs(file, path, options.Epochs);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        trainer._resume = file;
        trainer._resumeSource = path;
        return trainer;
    }

    /// <summary>Called by the constructor.</summary>
    private void ReadCheckpointOptions(TrainerOptions<T> options)
    {
        if (options.CheckpointEvery < 0) ThrowHelper.ArgumentOutOfRange("options.CheckpointEvery", $"CheckpointEvery must be ≥ 0 epochs, but was {options.CheckpointEvery}.");
        if (options.CheckpointEvery > 0 && string.IsNullOrWhiteSpace(options.CheckpointDirectory))
        {
            ThrowHelper.Argument("options.CheckpointDirectory", "CheckpointEvery > 0 needs a CheckpointDirectory.");
        }
        _checkpointEvery = options.CheckpointEvery;
        _checkpointDirectory = options.CheckpointDirectory;
    }

    /// <summary>
    /// Called once by <see cref="Fit"/> before the first epoch: records the loss and class names on the model
    /// and, when resuming, restores the state and replays the RNG and schedule. Returns the first epoch to run.
    /// </summary>
    private int BeginFit(Dataset<T> train, Dataset<T>? validation, TrainingHistory history, Random random, Span<int> order, double initialRate,
                         ref double best, ref double firstEpochLoss, ref double firstStepLoss, ref int sinceBest, ref long samplesSeen)
    {
        _model.Loss = _loss;
        if (train.IsClassification && (train.ClassCount == _model.OutputCount || _model.OutputCount == 1 && train.ClassCount == 2))
        {
            _model.ClassNames = train.ClassNames;
        }
        SafeTensors? file = _resume;
        if (file is null)
        {
            return 0;
        }
        _resume = null;
        string source = _resumeSource;
        long[] counters = ReadTensor<long>(file, "counters", source);
        double[] scalars = ReadTensor<double>(file, "scalars", source);
        if (counters.Length != 6 || scalars.Length != 4)
        {
            throw SafeTensors.Error(source, "trainer.counters or trainer.scalars has the wrong length.");
        }
        int epochs = (int)counters[0];
        (sinceBest, samplesSeen, _updates) = ((int)counters[2], counters[3], counters[4]);
        (best, firstEpochLoss, firstStepLoss, LearningRate) = (scalars[0], scalars[1], scalars[2], scalars[3]);

        double[] trainLoss = ReadTensor<double>(file, "history.train_loss", source), validationLoss = ReadTensor<double>(file, "history.validation_loss", source),
                 metric = ReadTensor<double>(file, "history.metric", source), rates = ReadTensor<double>(file, "history.learning_rate", source),
                 seconds = ReadTensor<double>(file, "history.seconds", source);
        if (trainLoss.Length != epochs || validationLoss.Length != epochs || metric.Length != epochs || rates.Length != epochs || seconds.Length != epochs)
        {
            throw SafeTensors.Error(source, $"the trainer.history tensors do not all have {epochs} epochs.");
        }
        history.BestEpoch = (int)ReadTensor<long>(file, "history.best_epoch", source)[0];
        history.ResumedEpochs = epochs;
        Arena arena = _arena!;
        if (_optimizer.StateVectors >= 1) file.CopyTo(Entry(file, "optimizer.first", source), arena.Span(_first));
        if (_optimizer.StateVectors >= 2) file.CopyTo(Entry(file, "optimizer.second", source), arena.Span(_second));
        if (_earlyStopping is not null) file.CopyTo(Entry(file, "best_parameters", source), arena.Span(_best));

        // Replay what the finished epochs did to the RNG and the schedule.
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            _schedule?.RateForEpoch(epoch, initialRate, (long)epoch * train.Rows);
            if (_shuffle)
            {
                random.Shuffle(order);
            }
            history.Add(trainLoss[epoch], validationLoss[epoch], metric[epoch], rates[epoch], seconds[epoch]);
            _schedule?.EpochEnded(epoch, validation is not null ? validationLoss[epoch] : trainLoss[epoch]);
        }
        return epochs;
    }

    /// <summary>
    /// Called by <see cref="Fit"/> before it changes anything: when resuming, the data must be the checkpoint's (same
    /// rows and checksums; with validation data exactly when the checkpointed fit had it).
    /// </summary>
    private void VerifyResumeData(Dataset<T> train, Dataset<T>? validation)
    {
        if (_resume is not { } file)
        {
            return;
        }
        long[] counters = ReadTensor<long>(file, "counters", _resumeSource);
        if (counters.Length != 6)
        {
            throw SafeTensors.Error(_resumeSource, "trainer.counters has the wrong length.");
        }
        if ((counters[5] == 1) != (validation is not null))
        {
            ThrowHelper.Argument(nameof(validation), $"The checkpointed fit was run {(counters[5] == 1 ? "with" : "without")} validation data; resume it the same way.");
        }
        // Checkpoints written before checksums were recorded hold no "data" tensor: only the row count is checked.
        long[] data = file.Tensors.ContainsKey(Prefix + "data") ? ReadTensor<long>(file, "data", _resumeSource) : [counters[1], (long)train.Checksum, -1, 0];
        if (data.Length != 4)
        {
            throw SafeTensors.Error(_resumeSource, "trainer.data has the wrong length.");
        }
        CheckSameData(train, nameof(train), "training", counters[1], (ulong)data[1]);
        if (validation is not null && data[2] >= 0)
        {
            CheckSameData(validation, nameof(validation), "validation", data[2], (ulong)data[3]);
        }
    }

    private static void CheckSameData(Dataset<T> data, string name, string role, long rows, ulong checksum)
    {
        if (data.Rows != rows)
        {
            ThrowHelper.Argument(name, $"The {role} data differs from the checkpoint's: {data.Rows} rows, but the checkpoint was trained on {rows}.");
        }
        if (data.Checksum != checksum)
        {
            ThrowHelper.Argument(name, FormattableString.Invariant(
                $"The {role} data differs from the checkpoint's: same {rows} rows, but checksum {data.Checksum:x16} instead of {checksum:x16} (XxHash3 of the values); resume with the data the checkpoint was trained on."));
        }
    }

    /// <summary>Called by <see cref="Resume"/>: the options must ask for at least the epochs already completed.</summary>
    private void CheckEpochs(SafeTensors file, string source, int epochs)
    {
        long[] counters = ReadTensor<long>(file, "counters", source);
        if (counters.Length != 6 || counters[0] < 0 || counters[0] > int.MaxValue)
        {
            throw SafeTensors.Error(source, "trainer.counters has the wrong length or an impossible epoch count.");
        }
        if (epochs < counters[0])
        {
            ThrowHelper.ArgumentOutOfRange("options.Epochs",
                $"Epochs is {epochs}, but the checkpoint has already completed {counters[0]} epochs; ask for at least {counters[0]} (exactly {counters[0]}: nothing left to run).");
        }
    }

    /// <summary>Called by <see cref="Fit"/> at the end of every epoch that does not stop the fit.</summary>
    private void CheckpointIfDue(int epoch, Dataset<T> train, Dataset<T>? validation, TrainingHistory history, int rows,
                                 double best, double firstEpochLoss, double firstStepLoss, int sinceBest, long samplesSeen)
    {
        int finished = epoch + 1;
        if (_checkpointEvery == 0 || finished % _checkpointEvery != 0)
        {
            return;
        }
        var writer = new SafeTensors.Writer();
        ModelFile<T>.AddTo(_model, writer);
        writer.Metadata[Prefix + "options"] = Fingerprint();
        writer.Add<long>(Prefix + "counters", [finished, rows, sinceBest, samplesSeen, _updates, validation is not null ? 1 : 0], 6);
        writer.Add<double>(Prefix + "scalars", [best, firstEpochLoss, firstStepLoss, LearningRate], 4);
        writer.Add<long>(Prefix + "data", [train.Rows, (long)train.Checksum, validation?.Rows ?? -1, (long)(validation?.Checksum ?? 0)], 4);
        writer.Add(Prefix + "history.train_loss", history.TrainLoss, finished);
        writer.Add(Prefix + "history.validation_loss", history.ValidationLoss, finished);
        writer.Add(Prefix + "history.metric", history.ValidationMetric, finished);
        writer.Add(Prefix + "history.learning_rate", history.LearningRate, finished);
        writer.Add(Prefix + "history.seconds", history.Seconds, finished);
        writer.Add<long>(Prefix + "history.best_epoch", [history.BestEpoch], 1);
        Arena arena = _arena!;
        int parameters = _model.ParameterCount;
        if (_optimizer.StateVectors >= 1) writer.Add<T>(Prefix + "optimizer.first", arena.Span(_first), parameters);
        if (_optimizer.StateVectors >= 2) writer.Add<T>(Prefix + "optimizer.second", arena.Span(_second), parameters);
        if (_earlyStopping is not null) writer.Add<T>(Prefix + "best_parameters", arena.Span(_best), parameters);
        Directory.CreateDirectory(_checkpointDirectory!);
        AtomicFile.Write(Path.Combine(_checkpointDirectory!, CheckpointFileName), writer.WriteTo);
    }

    /// <summary>What must not change between the checkpointed fit and its resumption.</summary>
    private string Fingerprint() => string.Create(CultureInfo.InvariantCulture,
        $"loss={_loss}; optimizer={_optimizer}; batch={_batchSize}; seed={_seed}; shuffle={_shuffle}; standardize={_standardize}; schedule={_schedule?.GetType().Name ?? "none"}; earlyStopping={(_earlyStopping is { } e ? $"{e.Patience}/{e.MinDelta}/{e.RestoreBestWeights}" : "none")}");

    private void CheckMatches(SafeTensors file, string source)
    {
        if (!file.Metadata.TryGetValue(Prefix + "options", out string? saved))
        {
            throw SafeTensors.Error(source, "this is a model file, not a checkpoint (no trainer state).");
        }
        string current = Fingerprint();
        if (saved != current)
        {
            ThrowHelper.Argument("options", $"The options differ from the checkpoint's. Checkpoint: {saved}. Now: {current}.");
        }
    }

    private TElement[] ReadTensor<TElement>(SafeTensors file, string name, string source) where TElement : unmanaged
    {
        TensorEntry entry = Entry(file, name, source);
        if (entry.Type != SafeTensors.TypeOf<TElement>() || entry.Shape.Length != 1)
        {
            throw SafeTensors.Error(source, $"tensor '{Prefix}{name}' should be a vector of {SafeTensors.TypeOf<TElement>()}.");
        }
        var values = new TElement[entry.Shape[0]];
        file.CopyTo<TElement>(entry, values);
        return values;
    }

    private TensorEntry Entry(SafeTensors file, string name, string source)
    {
        if (!file.Tensors.TryGetValue(Prefix + name, out TensorEntry entry))
        {
            throw SafeTensors.Error(source, $"the checkpoint lacks tensor '{Prefix}{name}'.");
        }
        if (name is "optimizer.first" or "optimizer.second" or "best_parameters"
            && (entry.Type != SafeTensors.TypeOf<T>() || entry.Shape.Length != 1 || entry.Shape[0] != _model.ParameterCount))
        {
            throw SafeTensors.Error(source, $"tensor '{Prefix}{name}' should be {SafeTensors.TypeOf<T>()} [{_model.ParameterCount}].");
        }
        return entry;
    }
}
