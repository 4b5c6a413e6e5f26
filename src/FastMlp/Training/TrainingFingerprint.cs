using System.Globalization;

namespace FastMlp;

/// <summary>
/// What must not change between a checkpointed fit and its resumption, field by field (loss, every optimizer
/// setting, batch size, seed, shuffling, standardization, schedule and early stopping). A checkpoint stores each
/// field under its own name; resuming compares them one by one and names every field that differs.
/// </summary>
internal sealed class TrainingFingerprint
{
    private TrainingFingerprint(IReadOnlyList<KeyValuePair<string, string>> fields) => Fields = fields;

    /// <summary>Field names and values (invariant culture, doubles round-trip exactly), in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    public static TrainingFingerprint Of<T>(TrainerOptions<T> options) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Optimizer optimizer = options.Optimizer;
        EarlyStopping? stopping = options.EarlyStopping;
        bool sgd = optimizer.Kind == OptimizerKind.Sgd;
        return new TrainingFingerprint(
        [
            Field("loss", options.Loss.ToString()),
            Field("optimizer", optimizer.Kind.ToString()),
            Field("learning_rate", Number(optimizer.LearningRate)),
            Field("momentum", sgd ? Number(optimizer.Momentum) : "-"),
            Field("nesterov", sgd ? optimizer.Nesterov.ToString() : "-"),
            Field("beta1", sgd ? "-" : Number(optimizer.Beta1)),
            Field("beta2", sgd ? "-" : Number(optimizer.Beta2)),
            Field("epsilon", sgd ? "-" : Number(optimizer.Epsilon)),
            Field("weight_decay", Number(optimizer.WeightDecay)),
            Field("batch_size", options.BatchSize.ToString(CultureInfo.InvariantCulture)),
            Field("seed", options.Seed.ToString(CultureInfo.InvariantCulture)),
            Field("shuffle", options.Shuffle.ToString()),
            Field("standardize", options.Standardize.ToString()),
            Field("standardize_targets", options.StandardizeTargets.ToString()),
            Field("class_weights", options.ClassWeights?.ToString() ?? "none"),
            Field("dropout", options.Dropout == 0 ? "none" : Number(options.Dropout)),
            Field("schedule", options.Schedule?.ToString() ?? "none"),
            Field("early_stopping", stopping is null ? "none" : $"patience={stopping.Patience}, minDelta={Number(stopping.MinDelta)}, restoreBestWeights={stopping.RestoreBestWeights}{(stopping.Monitor == EarlyStoppingMetric.Loss ? "" : $", monitor={stopping.Monitor}")}"),
        ]);
    }

    /// <summary>The single options string of format-1 checkpoints, computed the way that format did.</summary>
    public static string Format1Of<T>(TrainerOptions<T> options) where T : unmanaged, IBinaryFloatingPointIeee754<T> => string.Create(CultureInfo.InvariantCulture,
        $"loss={options.Loss}; optimizer={options.Optimizer}; batch={options.BatchSize}; seed={options.Seed}; shuffle={options.Shuffle}; standardize={options.Standardize}; schedule={options.Schedule?.GetType().Name ?? "none"}; earlyStopping={(options.EarlyStopping is { } e ? $"{e.Patience}/{e.MinDelta}/{e.RestoreBestWeights}" : "none")}");

    /// <summary>A fingerprint read back from a checkpoint.</summary>
    public static TrainingFingerprint FromFields(IReadOnlyList<KeyValuePair<string, string>> fields) => new(fields);

    /// <summary>Every field whose value differs (or is missing on one side), as "name: checkpoint X, now Y"; empty when they agree.</summary>
    public IReadOnlyList<string> DifferencesFrom(TrainingFingerprint saved)
    {
        var differences = new List<string>();
        Dictionary<string, string> savedFields = saved.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        foreach ((string name, string value) in Fields)
        {
            string? old = savedFields.GetValueOrDefault(name);
            // A setting added after the checkpoint was written matches when it is off.
            if (old != value && !(old is null && value is "none" or "False"))
            {
                differences.Add($"{name}: checkpoint {old ?? "(not recorded)"}, now {value}");
            }
            savedFields.Remove(name);
        }
        foreach ((string name, string value) in savedFields)
        {
            differences.Add($"{name}: checkpoint {value}, now (not a setting of this version)");
        }
        return differences;
    }

    private static KeyValuePair<string, string> Field(string name, string value) => new(name, value);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
