using FastMlp.Numerics;
using FastMlp.Serialization;

namespace FastMlp;

/// <summary>
/// Checkpoints (file format: <see cref="CheckpointFile{T}"/>): the model and the trainer state at the end of an
/// epoch. The shuffle RNG and stateful schedules are not serialized but replayed: the RNG is re-seeded and
/// shuffles once per finished epoch; the schedule is reset and fed the recorded losses. Both are deterministic,
/// so a resumed fit follows the uninterrupted one bit for bit.
/// </summary>
public sealed partial class Trainer<T>
{
    /// <summary>File name of the checkpoint inside <see cref="TrainerOptions{T}.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "checkpoint.safetensors";

    private int _checkpointEvery;
    private string? _checkpointDirectory;
    private readonly TrainingFingerprint _fingerprint;
    private Checkpoint<T>? _resume;

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
    /// <exception cref="ArgumentException">The options disagree with the checkpoint (every differing setting is named);
    /// ParamName "options.Epochs" when Epochs is below the checkpoint's completed epochs.</exception>
    public static Trainer<T> Resume(string checkpointDirectory, TrainerOptions<T> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        ArgumentNullException.ThrowIfNull(options);
        Checkpoint<T> checkpoint = CheckpointFile<T>.Read(Path.Combine(checkpointDirectory, CheckpointFileName));
        var trainer = new Trainer<T>(checkpoint.Model, options);
        try
        {
            trainer.CheckOptions(checkpoint, options);
            CheckEpochs(checkpoint, options.Epochs);
            trainer.CheckStateShapes(checkpoint);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        trainer._resume = checkpoint;
        trainer._updates = checkpoint.Updates;
        trainer.LearningRate = checkpoint.LearningRate;
        return trainer;
    }

    /// <summary>Called by the constructor.</summary>
    private void ReadCheckpointOptions(TrainerOptions<T> options)
    {
        Guard.AtLeast(options.CheckpointEvery, 0, "CheckpointEvery", " epochs");
        if (options.CheckpointEvery > 0 && string.IsNullOrWhiteSpace(options.CheckpointDirectory))
        {
            ThrowHelper.Argument("options.CheckpointDirectory", "CheckpointEvery > 0 needs a CheckpointDirectory.");
        }
        _checkpointEvery = options.CheckpointEvery;
        _checkpointDirectory = options.CheckpointDirectory;
    }

    /// <summary>
    /// Called once by <see cref="Fit"/> before the first epoch: records the loss and class names on the model
    /// and, when resuming, restores the state and replays the RNG and schedule. Returns the loop state to continue from.
    /// </summary>
    private FitState BeginFit(Dataset<T> train, Dataset<T>? validation, TrainingHistory history, Random random, Span<int> order, double initialRate)
    {
        _model.Loss = _loss;
        if (train.IsClassification && (train.ClassCount == _model.OutputCount || _model.OutputCount == 1 && train.ClassCount == 2))
        {
            _model.ClassNames = train.ClassNames;
        }
        if (_resume is not { } checkpoint)
        {
            return new FitState();
        }
        _resume = null;
        FitState state = checkpoint.State;
        CheckpointHistory recorded = checkpoint.History;
        history.BestEpoch = recorded.BestEpoch;
        history.ResumedEpochs = state.CompletedEpochs;
        Arena arena = _arena!;
        checkpoint.OptimizerFirst?.CopyTo(arena.Span(_firstMoment));
        checkpoint.OptimizerSecond?.CopyTo(arena.Span(_secondMoment));
        checkpoint.BestParameters?.CopyTo(arena.Span(_bestParameters));
        if (checkpoint.DropoutState is { } dropoutState)
        {
            _dropoutMasks?.RestoreState(dropoutState);
        }

        // Replay what the finished epochs did to the RNG and the schedule.
        for (int epoch = 0; epoch < state.CompletedEpochs; epoch++)
        {
            _schedule?.RateForEpoch(epoch, initialRate, (long)epoch * train.Rows);
            if (_shuffle)
            {
                random.Shuffle(order);
            }
            history.Add(recorded.TrainLoss[epoch], recorded.ValidationLoss[epoch], recorded.Metric[epoch], recorded.LearningRate[epoch], recorded.Seconds[epoch]);
            _schedule?.EpochEnded(epoch, validation is not null ? recorded.ValidationLoss[epoch] : recorded.TrainLoss[epoch]);
        }
        return state;
    }

    /// <summary>
    /// Called by <see cref="Fit"/> before it changes anything: when resuming, the data must be the checkpoint's (same
    /// rows and checksums; with validation data exactly when the checkpointed fit had it).
    /// </summary>
    private void VerifyResumeData(Dataset<T> train, Dataset<T>? validation)
    {
        if (_resume is not { } checkpoint)
        {
            return;
        }
        if ((checkpoint.Validation is not null) != (validation is not null))
        {
            ThrowHelper.Argument(nameof(validation), $"The checkpointed fit was run {(checkpoint.Validation is not null ? "with" : "without")} validation data; resume it the same way.");
        }
        CheckSameData(train, nameof(train), "training", checkpoint.Train);
        if (validation is not null && checkpoint.Validation is { Rows: >= 0 } saved)
        {
            CheckSameData(validation, nameof(validation), "validation", saved);
        }
    }

    private static void CheckSameData(Dataset<T> data, string name, string role, DataIdentity saved)
    {
        if (data.Rows != saved.Rows)
        {
            ThrowHelper.Argument(name, $"The {role} data differs from the checkpoint's: {data.Rows} rows, but the checkpoint was trained on {saved.Rows}.");
        }
        // The earliest checkpoints recorded no checksum: only the row count is checked.
        if (saved.Checksum is { } checksum && data.Checksum != checksum)
        {
            ThrowHelper.Argument(name, FormattableString.Invariant(
                $"The {role} data differs from the checkpoint's: same {saved.Rows} rows, but checksum {data.Checksum:x16} instead of {checksum:x16} (XxHash3 of the values); resume with the data the checkpoint was trained on."));
        }
    }

    /// <summary>Called by <see cref="Resume"/>: the options must ask for at least the epochs already completed.</summary>
    private static void CheckEpochs(Checkpoint<T> checkpoint, int epochs) =>
        Guard.AtLeast(epochs, checkpoint.State.CompletedEpochs, "Epochs",
            " (the epochs the checkpoint has already completed; exactly as many: nothing left to run)", "options.Epochs");

    /// <summary>Called by <see cref="Resume"/>: the optimizer and early stopping need exactly the state vectors the checkpoint holds.</summary>
    private void CheckStateShapes(Checkpoint<T> checkpoint)
    {
        RequireState(checkpoint, checkpoint.OptimizerFirst, _optimizer.StateVectors >= 1, "optimizer.first");
        RequireState(checkpoint, checkpoint.OptimizerSecond, _optimizer.StateVectors >= 2, "optimizer.second");
        RequireState(checkpoint, checkpoint.BestParameters, _earlyStopping is not null, "best_parameters");
        if (_dropoutMasks is not null && checkpoint.DropoutState is null)
        {
            throw SafeTensors.Error(checkpoint.Source, $"the checkpoint lacks tensor '{CheckpointFile<T>.Prefix}state.dropout_rng'.");
        }
    }

    private static void RequireState(Checkpoint<T> checkpoint, T[]? values, bool needed, string name)
    {
        if (needed && values is null)
        {
            throw SafeTensors.Error(checkpoint.Source, $"the checkpoint lacks tensor '{CheckpointFile<T>.Prefix}{name}'.");
        }
    }

    /// <summary>Called by <see cref="Fit"/> at the end of every epoch that does not stop the fit.</summary>
    private void CheckpointIfDue(Dataset<T> train, Dataset<T>? validation, TrainingHistory history, FitState state)
    {
        if (_checkpointEvery == 0 || state.CompletedEpochs % _checkpointEvery != 0)
        {
            return;
        }
        Arena arena = _arena!;
        Span<long> dropoutState = stackalloc long[DropoutMasks.StateLength];
        _dropoutMasks?.CopyState(dropoutState);
        var contents = new CheckpointContents<T>
        {
            Options = _fingerprint,
            State = state,
            Updates = _updates,
            LearningRate = LearningRate,
            Train = new DataIdentity(train.Rows, train.Checksum),
            Validation = validation is null ? null : new DataIdentity(validation.Rows, validation.Checksum),
            History = history,
            OptimizerFirst = _optimizer.StateVectors >= 1 ? arena.Span(_firstMoment) : default,
            OptimizerSecond = _optimizer.StateVectors >= 2 ? arena.Span(_secondMoment) : default,
            BestParameters = _earlyStopping is not null ? arena.Span(_bestParameters) : default,
            DropoutState = _dropoutMasks is not null ? dropoutState : default,
        };
        Directory.CreateDirectory(_checkpointDirectory!);
        CheckpointFile<T>.Write(Path.Combine(_checkpointDirectory!, CheckpointFileName), _model, contents);
    }

    private void CheckOptions(Checkpoint<T> checkpoint, TrainerOptions<T> options)
    {
        if (checkpoint.Options is null)
        {
            if (options.StandardizeTargets)
            {
                ThrowHelper.Argument("options", "StandardizeTargets is true, but the checkpoint (format 1) was written by a fit without target standardization.");
            }
            string current = TrainingFingerprint.Format1Of(options);
            if (checkpoint.LegacyOptions != current)
            {
                ThrowHelper.Argument("options", $"The options differ from the checkpoint's. Checkpoint: {checkpoint.LegacyOptions}. Now: {current}.");
            }
            return;
        }
        IReadOnlyList<string> differences = _fingerprint.DifferencesFrom(checkpoint.Options);
        if (differences.Count > 0)
        {
            ThrowHelper.Argument("options", $"The options differ from the checkpoint's: {string.Join("; ", differences)}.");
        }
    }
}
