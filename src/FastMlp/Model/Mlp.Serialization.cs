using FastMlp.Serialization;

namespace FastMlp;

public sealed partial class Mlp<T>
{
    /// <summary>
    /// The loss the model was trained with (set by <see cref="Trainer{T}.Fit"/>; saved in model files so
    /// tools know how to read the outputs). Null: unknown. Must pair with the output activation.
    /// </summary>
    public Loss? Loss
    {
        get;
        set
        {
            if (value is { } loss)
            {
                LossFunctions<T>.CheckPairing(loss, OutputActivation, nameof(value));
            }
            field = value;
        }
    }

    /// <summary>
    /// Names of the classes, output by output (or two names for a single sigmoid output); set by
    /// <see cref="Trainer{T}.Fit"/> from a classification dataset and saved in model files. Null: none.
    /// </summary>
    public IReadOnlyList<string>? ClassNames
    {
        get;
        set
        {
            if (value is not null)
            {
                int outputs = OutputCount;
                if (value.Count != outputs && !(outputs == 1 && value.Count == 2))
                {
                    ThrowHelper.Argument(nameof(value), $"{value.Count} class names were given, but the network has {outputs} outputs (one name per output, or two for a single output).");
                }
                var copy = new string[value.Count];
                for (int i = 0; i < copy.Length; i++)
                {
                    copy[i] = value[i] ?? throw new ArgumentException($"Class name {i} is null.", nameof(value));
                }
                value = copy;
            }
            field = value;
        }
    }

    /// <summary>
    /// Names of the input features in order (for reading raw tables by column name); saved in model
    /// files. Null: none. Must have one name per input.
    /// </summary>
    public IReadOnlyList<string>? FeatureNames
    {
        get;
        set
        {
            if (value is not null)
            {
                if (value.Count != InputCount)
                {
                    ThrowHelper.Argument(nameof(value), $"{value.Count} feature names were given, but the network has {InputCount} inputs.");
                }
                var copy = new string[value.Count];
                for (int i = 0; i < copy.Length; i++)
                {
                    copy[i] = value[i] ?? throw new ArgumentException($"Feature name {i} is null.", nameof(value));
                }
                value = copy;
            }
            field = value;
        }
    }

    /// <summary>Name of the predicted quantity (a table's target column); saved in model files. Null: none.</summary>
    public string? TargetName { get; set; }

    /// <summary>
    /// How raw table rows become this model's inputs (column kinds, fill values, one-hot categories), fitted on
    /// the training rows; saved in model files (format version 3) and applied by
    /// <see cref="InferenceModel{T}.PredictRow(IReadOnlyDictionary{string, string}, Span{T})"/>. Null: the model
    /// reads numeric rows only. Its <see cref="TabularSchema.FeatureCount"/> must equal <see cref="InputCount"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The schema encodes a different number of features than the network has inputs.</exception>
    public TabularSchema? Schema
    {
        get;
        set
        {
            if (value is not null && value.FeatureCount != InputCount)
            {
                ThrowHelper.Argument(nameof(value), $"The schema encodes {value.FeatureCount} features, but the network has {InputCount} inputs.");
            }
            field = value;
        }
    }

    /// <summary>
    /// Decision threshold of a binary classifier (one sigmoid output, or two outputs): a row is predicted as the
    /// second class when that class's probability exceeds it. Used by <see cref="InferenceModel{T}.PredictedClass"/>,
    /// <see cref="Trainer{T}.Evaluate"/> and <see cref="InferenceModel{T}.Evaluate"/>; saved in model files. Default 0.5
    /// (for two outputs: the arg-max).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not strictly between 0 and 1.</exception>
    /// <exception cref="InvalidOperationException">A value other than 0.5 is set on a network with more than two outputs.</exception>
    public double DecisionThreshold
    {
        get;
        set
        {
            Guard.InRangeExclusive(value, 0, 1, "The decision threshold");
            if (value != 0.5 && OutputCount > 2)
            {
                ThrowHelper.InvalidOperation($"A decision threshold applies to binary models (one or two outputs); this network has {OutputCount} outputs.");
            }
            field = value;
        }
    } = 0.5;

    /// <summary>
    /// Saves the model in the safetensors layout (see the README's "Deploying" section), atomically: the
    /// file at <paramref name="path"/> is replaced only once the new one is completely on disk.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written (the previous file, if any, is left as it was).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write <paramref name="path"/>.</exception>
    public void Save(string path) => ModelFile<T>.Save(this, path);

    /// <summary>Writes the model file to <paramref name="stream"/> (not atomic: for in-memory or custom storage).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelFile<T>.Write(this, stream);
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save(string)"/>. Any inconsistency (truncation, corruption, a
    /// shape that does not match the architecture, F64 weights loaded as float, …) throws a
    /// <see cref="ModelFormatException"/> naming the file and the problem.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not a valid model file for element type <typeparamref name="T"/>.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Mlp<T> Load(string path) => ModelFile<T>.Load(path);

    /// <summary>Loads a model file from a seekable stream; <paramref name="source"/> names it in error messages.</summary>
    public static Mlp<T> Load(Stream stream, string source = "stream") => ModelFile<T>.Load(stream, source);

    /// <summary>Copies what the private copy constructor does not know about.</summary>
    private void CopyDescription(Mlp<T> source)
    {
        Loss = source.Loss;
        ClassNames = source.ClassNames;
        FeatureNames = source.FeatureNames;
        TargetName = source.TargetName;
        DecisionThreshold = source.DecisionThreshold;
        Schema = source.Schema;
    }
}
