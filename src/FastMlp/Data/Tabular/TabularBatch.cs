namespace FastMlp;

/// <summary>Raw rows encoded by <see cref="TabularSchema.Encode{T}(IReadOnlyList{IReadOnlyList{string}})"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class TabularBatch<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    internal TabularBatch(T[] features, int rows, int featureCount, IReadOnlyDictionary<string, int> unseenByColumn)
    {
        Features = features;
        Rows = rows;
        FeatureCount = featureCount;
        UnseenByColumn = unseenByColumn;
        UnseenCount = unseenByColumn.Values.Sum();
    }

    /// <summary>The encoded features, row-major [rows × featureCount].</summary>
    public T[] Features { get; }

    /// <summary>Rows encoded.</summary>
    public int Rows { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Cells whose category was not seen in training (encoded as all zeros).</summary>
    public int UnseenCount { get; }

    /// <summary>Unseen-category cells per column (only columns with at least one).</summary>
    public IReadOnlyDictionary<string, int> UnseenByColumn { get; }
}
