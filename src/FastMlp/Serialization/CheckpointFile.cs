using System.Globalization;

namespace FastMlp.Serialization;

/// <summary>Rows and XxHash3 checksum of a dataset a checkpointed fit used (checksum null: not recorded).</summary>
internal readonly record struct DataIdentity(long Rows, ulong? Checksum);

/// <summary>Per-epoch curves of a checkpointed fit (one value per completed epoch).</summary>
internal sealed record CheckpointHistory(double[] TrainLoss, double[] ValidationLoss, double[] Metric, double[] LearningRate, double[] Seconds, int BestEpoch);

/// <summary>Everything a checkpoint holds besides the model: read back by <see cref="CheckpointFile{T}.Read"/>.</summary>
internal sealed class Checkpoint<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public required string Source { get; init; }
    public required Mlp<T> Model { get; init; }
    /// <summary>The options fingerprint (format 2), or null for a format-1 checkpoint (see <see cref="LegacyOptions"/>).</summary>
    public required TrainingFingerprint? Options { get; init; }
    /// <summary>Format 1 recorded the options as one string.</summary>
    public string? LegacyOptions { get; init; }
    public required FitState State { get; init; }
    public required long Updates { get; init; }
    public required double LearningRate { get; init; }
    public required DataIdentity Train { get; init; }
    /// <summary>The validation data, or null when the checkpointed fit had none.</summary>
    public required DataIdentity? Validation { get; init; }
    public required CheckpointHistory History { get; init; }
    public T[]? OptimizerFirst { get; init; }
    public T[]? OptimizerSecond { get; init; }
    public T[]? BestParameters { get; init; }
    /// <summary>The dropout generator's state after the checkpointed epoch (null without dropout).</summary>
    public long[]? DropoutState { get; init; }
}

/// <summary>What a trainer writes at the end of an epoch (spans into its own buffers: nothing is copied twice).</summary>
internal readonly ref struct CheckpointContents<T> where T : unmanaged
{
    public required TrainingFingerprint Options { get; init; }
    public required FitState State { get; init; }
    public required long Updates { get; init; }
    public required double LearningRate { get; init; }
    public required DataIdentity Train { get; init; }
    public required DataIdentity? Validation { get; init; }
    public required TrainingHistory History { get; init; }
    /// <summary>Empty when the optimizer keeps no such state (plain SGD; SGD with momentum keeps only the first).</summary>
    public ReadOnlySpan<T> OptimizerFirst { get; init; }
    public ReadOnlySpan<T> OptimizerSecond { get; init; }
    /// <summary>Empty without early stopping.</summary>
    public ReadOnlySpan<T> BestParameters { get; init; }
    /// <summary>Empty without dropout.</summary>
    public ReadOnlySpan<long> DropoutState { get; init; }
}

/// <summary>
/// The checkpoint file: a model file (<see cref="ModelFile{T}"/>) plus trainer state under the <c>trainer.</c> prefix,
/// so <see cref="Mlp{T}.Load(string)"/> refuses it. Format 2 names every field: scalars are one-element tensors
/// (<c>trainer.state.best_loss</c>, …: covered by the file's SHA-256 like the weights), the options fingerprint is
/// metadata (<c>trainer.options.seed</c>, …). Format 1 (positional <c>trainer.counters</c>/<c>trainer.scalars</c>
/// vectors and one options string) is still read, so a fit checkpointed by an earlier version can be resumed.
/// With <see cref="TrainerOptions{T}.StandardizeTargets"/> the model is written as trained, in standardized units;
/// the scaling itself is not stored: resuming refits it on the same (checksummed) data.
/// </summary>
internal static class CheckpointFile<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const string Prefix = "trainer.";
    private const string OptionsPrefix = Prefix + "options.";
    private const string VersionKey = Prefix + "format_version";
    private const int FormatVersion = 2;

    public static void Write(string path, Mlp<T> model, in CheckpointContents<T> contents)
    {
        var writer = new SafeTensors.Writer();
        ModelFile<T>.AddTo(model, writer);
        writer.Metadata[VersionKey] = FormatVersion.ToString(CultureInfo.InvariantCulture);
        foreach ((string name, string value) in contents.Options.Fields)
        {
            writer.Metadata[OptionsPrefix + name] = value;
        }
        FitState state = contents.State;
        Scalar(writer, "state.epochs_completed", state.CompletedEpochs);
        Scalar(writer, "state.best_loss", state.BestLoss);
        Scalar(writer, "state.epochs_since_best", state.EpochsSinceBest);
        Scalar(writer, "state.first_epoch_loss", state.FirstEpochLoss);
        Scalar(writer, "state.first_step_loss", state.FirstStepLoss);
        Scalar(writer, "state.samples_seen", state.SamplesSeen);
        Scalar(writer, "state.updates", contents.Updates);
        Scalar(writer, "state.learning_rate", contents.LearningRate);
        Scalar(writer, "data.train_rows", contents.Train.Rows);
        Scalar(writer, "data.train_checksum", (long)(contents.Train.Checksum ?? 0));
        Scalar(writer, "data.validation_rows", contents.Validation?.Rows ?? -1);
        Scalar(writer, "data.validation_checksum", (long)(contents.Validation?.Checksum ?? 0));
        TrainingHistory history = contents.History;
        int epochs = state.CompletedEpochs;
        writer.Add(Prefix + "history.train_loss", history.TrainLoss[..epochs], epochs);
        writer.Add(Prefix + "history.validation_loss", history.ValidationLoss[..epochs], epochs);
        writer.Add(Prefix + "history.metric", history.ValidationMetric[..epochs], epochs);
        writer.Add(Prefix + "history.learning_rate", history.LearningRate[..epochs], epochs);
        writer.Add(Prefix + "history.seconds", history.Seconds[..epochs], epochs);
        Scalar(writer, "history.best_epoch", history.BestEpoch);
        AddIfAny(writer, "optimizer.first", contents.OptimizerFirst);
        AddIfAny(writer, "optimizer.second", contents.OptimizerSecond);
        AddIfAny(writer, "best_parameters", contents.BestParameters);
        if (!contents.DropoutState.IsEmpty)
        {
            writer.Add(Prefix + "state.dropout_rng", contents.DropoutState, contents.DropoutState.Length);
        }
        AtomicFile.Write(path, writer.WriteTo);
    }

    /// <summary>Reads and checks a whole checkpoint; any missing, mistyped or inconsistent part is a <see cref="ModelFormatException"/> naming it.</summary>
    public static Checkpoint<T> Read(string path)
    {
        SafeTensors file;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            file = SafeTensors.Read(stream, path);
        }
        Mlp<T> model = ModelFile<T>.Read(file, path, Prefix);
        var reader = new Reader(file, path, model.ParameterCount);
        if (file.Metadata.TryGetValue(Prefix + "options", out string? legacyOptions) && !file.Metadata.ContainsKey(VersionKey))
        {
            return ReadFormat1(reader, model, legacyOptions);
        }
        string version = file.Metadata.GetValueOrDefault(VersionKey) ?? throw SafeTensors.Error(path, "this is a model file, not a checkpoint (no trainer state).");
        if (version != "2")
        {
            throw SafeTensors.Error(path, $"metadata '{VersionKey}' is '{version}'; this FastMlp reads checkpoint formats 1 and 2.");
        }
        var options = new List<KeyValuePair<string, string>>();
        foreach ((string key, string value) in file.Metadata)
        {
            if (key.StartsWith(OptionsPrefix, StringComparison.Ordinal))
            {
                options.Add(new(key[OptionsPrefix.Length..], value));
            }
        }
        int epochs = reader.Count("state.epochs_completed");
        var state = new FitState
        {
            CompletedEpochs = epochs,
            BestLoss = reader.Scalar<double>("state.best_loss"),
            EpochsSinceBest = reader.Count("state.epochs_since_best"),
            FirstEpochLoss = reader.Scalar<double>("state.first_epoch_loss"),
            FirstStepLoss = reader.Scalar<double>("state.first_step_loss"),
            SamplesSeen = reader.Scalar<long>("state.samples_seen"),
        };
        long validationRows = reader.Scalar<long>("data.validation_rows");
        return new Checkpoint<T>
        {
            Source = path,
            Model = model,
            Options = TrainingFingerprint.FromFields(options),
            State = state,
            Updates = reader.Scalar<long>("state.updates"),
            LearningRate = reader.Rate(reader.Scalar<double>("state.learning_rate"), "state.learning_rate"),
            Train = new DataIdentity(reader.Scalar<long>("data.train_rows"), (ulong)reader.Scalar<long>("data.train_checksum")),
            Validation = validationRows < 0 ? null : new DataIdentity(validationRows, (ulong)reader.Scalar<long>("data.validation_checksum")),
            History = reader.History(epochs, reader.Scalar<long>("history.best_epoch")),
            OptimizerFirst = reader.Parameters("optimizer.first"),
            OptimizerSecond = reader.Parameters("optimizer.second"),
            BestParameters = reader.Parameters("best_parameters"),
            DropoutState = reader.Has("state.dropout_rng") ? reader.Vector<long>("state.dropout_rng", DropoutMasks.StateLength) : null,
        };
    }

    /// <summary>
    /// Format 1: counters = [epochs, train rows, epochs since best, samples seen, updates, had validation (0/1)],
    /// scalars = [best loss, first epoch loss, first step loss, learning rate], data = [train rows, train checksum,
    /// validation rows or −1, validation checksum] (absent in the earliest files: only the row count is known).
    /// </summary>
    private static Checkpoint<T> ReadFormat1(Reader reader, Mlp<T> model, string legacyOptions)
    {
        long[] counters = reader.Vector<long>("counters", 6);
        double[] scalars = reader.Vector<double>("scalars", 4);
        if (counters[0] < 0 || counters[0] > int.MaxValue || counters[2] < 0 || counters[2] > int.MaxValue)
        {
            throw SafeTensors.Error(reader.Source, "trainer.counters holds an impossible epoch count.");
        }
        long[]? data = reader.Has("data") ? reader.Vector<long>("data", 4) : null;
        int epochs = (int)counters[0];
        return new Checkpoint<T>
        {
            Source = reader.Source,
            Model = model,
            Options = null,
            LegacyOptions = legacyOptions,
            State = new FitState
            {
                CompletedEpochs = epochs,
                EpochsSinceBest = (int)counters[2],
                SamplesSeen = counters[3],
                BestLoss = scalars[0],
                FirstEpochLoss = scalars[1],
                FirstStepLoss = scalars[2],
            },
            Updates = counters[4],
            LearningRate = reader.Rate(scalars[3], "scalars"),
            Train = new DataIdentity(counters[1], data is null ? null : (ulong)data[1]),
            Validation = counters[5] != 1 ? null : new DataIdentity(data?[2] ?? -1, data is null || data[2] < 0 ? null : (ulong)data[3]),
            History = reader.History(epochs, reader.Vector<long>("history.best_epoch", 1)[0]),
            OptimizerFirst = reader.Parameters("optimizer.first"),
            OptimizerSecond = reader.Parameters("optimizer.second"),
            BestParameters = reader.Parameters("best_parameters"),
        };
    }

    private static void Scalar(SafeTensors.Writer writer, string name, long value) => writer.Add<long>(Prefix + name, [value], 1);

    private static void Scalar(SafeTensors.Writer writer, string name, double value) => writer.Add<double>(Prefix + name, [value], 1);

    private static void AddIfAny(SafeTensors.Writer writer, string name, ReadOnlySpan<T> values)
    {
        if (!values.IsEmpty)
        {
            writer.Add(Prefix + name, values, values.Length);
        }
    }

    /// <summary>Typed access to the trainer tensors, every problem named by tensor.</summary>
    private sealed class Reader(SafeTensors file, string source, int parameterCount)
    {
        public string Source => source;

        public bool Has(string name) => file.Tensors.ContainsKey(Prefix + name);

        public TElement Scalar<TElement>(string name) where TElement : unmanaged => Vector<TElement>(name, 1)[0];

        /// <summary>A scalar count that must fit an int and be ≥ 0.</summary>
        public int Count(string name)
        {
            long value = Scalar<long>(name);
            if (value < 0 || value > int.MaxValue)
            {
                throw SafeTensors.Error(source, $"tensor '{Prefix}{name}' is {value}, not a count.");
            }
            return (int)value;
        }

        public TElement[] Vector<TElement>(string name, long length) where TElement : unmanaged
        {
            if (!file.Tensors.TryGetValue(Prefix + name, out TensorEntry entry))
            {
                throw SafeTensors.Error(source, $"the checkpoint lacks tensor '{Prefix}{name}'.");
            }
            if (entry.Type != SafeTensors.TypeOf<TElement>() || entry.Shape.Length != 1 || entry.Shape[0] != length)
            {
                throw SafeTensors.Error(source, $"tensor '{Prefix}{name}' should be {SafeTensors.TypeOf<TElement>()} [{length}], but is {entry.Type} [{string.Join(", ", entry.Shape)}].");
            }
            var values = new TElement[length];
            file.CopyTo<TElement>(entry, values);
            return values;
        }

        /// <summary>A learning rate must be finite and positive.</summary>
        public double Rate(double value, string name) => value > 0 && double.IsFinite(value)
            ? value
            : throw SafeTensors.Error(source, $"tensor '{Prefix}{name}' holds the learning rate {value}; it must be finite and > 0.");

        /// <summary>A parameter-sized vector, or null when the checkpoint has none of that name.</summary>
        public T[]? Parameters(string name) => Has(name) ? Vector<T>(name, parameterCount) : null;

        public CheckpointHistory History(int epochs, long bestEpoch)
        {
            if (bestEpoch < -1 || bestEpoch >= epochs)
            {
                throw SafeTensors.Error(source, $"tensor '{Prefix}history.best_epoch' is {bestEpoch}, outside the {epochs} completed epochs.");
            }
            return new CheckpointHistory(Vector<double>("history.train_loss", epochs), Vector<double>("history.validation_loss", epochs),
                                         Vector<double>("history.metric", epochs), Vector<double>("history.learning_rate", epochs),
                                         Vector<double>("history.seconds", epochs), (int)bestEpoch);
        }
    }
}
