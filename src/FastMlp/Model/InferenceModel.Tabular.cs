namespace FastMlp;

public sealed partial class InferenceModel<T>
{
    /// <summary>How raw table rows become inputs (null: the model reads numeric rows only). See <see cref="Mlp{T}.Schema"/>.</summary>
    public TabularSchema? Schema => _network.Schema;

    /// <summary>
    /// Predicts one raw row given by column name (cells as text: numbers, categories, missing tokens), encoded
    /// with the model's <see cref="Schema"/>; returns how many cells held a category unseen in training (encoded
    /// as zeros, so the caller can warn). Allocates the encoded row; for allocation-free inference encode once with
    /// <see cref="TabularSchema.Encode{T}(IReadOnlyList{string}, Span{T})"/> and call <see cref="Predict"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The model has no schema.</exception>
    /// <exception cref="ArgumentException">A column of the schema is not in <paramref name="row"/>, or <paramref name="outputs"/> is not <see cref="OutputCount"/> long.</exception>
    /// <exception cref="TabularDataException">A numeric column holds text.</exception>
    public int PredictRow(IReadOnlyDictionary<string, string?> row, Span<T> outputs)
    {
        TabularSchema schema = RequireSchema();
        var features = new T[schema.FeatureCount];
        int unseen = schema.Encode(row, features.AsSpan());
        Predict(features, outputs);
        return unseen;
    }

    /// <summary>
    /// Predicts one raw row of objects by column name (null/<see cref="DBNull"/> missing, numbers in the invariant
    /// culture); returns the number of unseen categories. See <see cref="PredictRow(IReadOnlyDictionary{string, string}, Span{T})"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The model has no schema.</exception>
    /// <exception cref="ArgumentException">A column of the schema is not in <paramref name="row"/>, or <paramref name="outputs"/> is not <see cref="OutputCount"/> long.</exception>
    /// <exception cref="TabularDataException">A numeric column holds text.</exception>
    public int PredictRow(IReadOnlyDictionary<string, object?> row, Span<T> outputs)
    {
        TabularSchema schema = RequireSchema();
        var features = new T[schema.FeatureCount];
        int unseen = schema.Encode(row, features.AsSpan());
        Predict(features, outputs);
        return unseen;
    }

    private TabularSchema RequireSchema()
    {
        if (_network.Schema is not { } schema)
        {
            throw new InvalidOperationException("The model has no tabular schema (it was not trained from a raw table); encode the row yourself and call Predict.");
        }
        return schema;
    }
}
