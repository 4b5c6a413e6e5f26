namespace FastMlp;

public sealed partial class Mlp<T>
{
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
}
