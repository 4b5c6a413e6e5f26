using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace FastMlp;

/// <summary>
/// A table of examples: row-major features [rows × features] and, per row, either regression targets
/// or a class label (one-hot rows are produced on the fly when batches are gathered). Immutable;
/// values are validated once here (finite features, labels in range) so training loops need not re-check.
/// </summary>
public sealed class Dataset<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[] _features;
    private readonly T[] _targets;
    private readonly int[] _labels;
    private readonly string[] _classNames;
    private readonly T[] _sampleWeights;
    // A reference, so that a reader on another thread sees either nothing or the whole value.
    private System.Runtime.CompilerServices.StrongBox<ulong>? _checksum;

    private Dataset(T[] features, int featureCount, T[] targets, int targetCount, int[] labels, string[] classNames, T[]? sampleWeights = null)
    {
        _sampleWeights = sampleWeights ?? [];
        _features = features;
        FeatureCount = featureCount;
        _targets = targets;
        _labels = labels;
        _classNames = classNames;
        IsClassification = classNames.Length > 0;
        TargetCount = IsClassification ? classNames.Length : targetCount;
        Rows = features.Length / featureCount;
    }

    /// <summary>A regression dataset: <paramref name="targets"/> holds <paramref name="targetCount"/> values per row.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> or <paramref name="targetCount"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The spans are not whole rows of the same count, or a value is NaN or infinite (the message names row and column).</exception>
    public static Dataset<T> ForRegression(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int featureCount, int targetCount = 1)
    {
        int rows = CheckFeatures(features, featureCount);
        Guard.AtLeast(targetCount, 1, "Targets per row");
        if (targets.Length != (long)rows * targetCount)
        {
            ThrowHelper.Argument(nameof(targets), $"{rows} rows × {targetCount} targets need {(long)rows * targetCount} values, but {targets.Length} were given.");
        }
        Guard.Finite(targets, targetCount);
        return new Dataset<T>(features.ToArray(), featureCount, targets.ToArray(), targetCount, [], []);
    }

    /// <summary>A classification dataset: one label in [0, classCount) per row; class names default to "0", "1", ….</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is below 1, <paramref name="classCount"/> below 2, or a label outside [0, classCount).</exception>
    /// <exception cref="ArgumentException">Features are not whole rows, labels do not match the row count, a feature is not finite, or the class names do not match classCount.</exception>
    public static Dataset<T> ForClassification(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, int featureCount, int classCount,
                                               IReadOnlyList<string>? classNames = null)
    {
        int rows = CheckFeatures(features, featureCount);
        Guard.AtLeast(classCount, 2, "A classification's class count");
        if (labels.Length != rows)
        {
            ThrowHelper.Argument(nameof(labels), $"{rows} rows need {rows} labels, but {labels.Length} were given.");
        }
        Guard.EachIndex(labels, classCount, "Label of row", "the class range");
        string[] names;
        if (classNames is null)
        {
            names = new string[classCount];
            for (int c = 0; c < classCount; c++)
            {
                names[c] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else
        {
            if (classNames.Count != classCount)
            {
                ThrowHelper.Argument(nameof(classNames), $"{classCount} classes need {classCount} names, but {classNames.Count} were given.");
            }
            names = [.. classNames];
            CheckClassNames(names);
        }
        return new Dataset<T>(features.ToArray(), featureCount, [], 0, labels.ToArray(), names);
    }

    /// <summary>Examples.</summary>
    public int Rows { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Regression: targets per row. Classification: number of classes (the width of a one-hot row).</summary>
    public int TargetCount { get; }

    /// <summary>Whether rows carry class labels (else regression targets).</summary>
    public bool IsClassification { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>Class names, index = label (empty for regression).</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Row-major features [rows × features].</summary>
    public ReadOnlyMemory<T> Features => _features;

    /// <summary>Row-major regression targets [rows × targets] (empty for classification).</summary>
    public ReadOnlyMemory<T> Targets => _targets;

    /// <summary>Class label per row (empty for regression).</summary>
    public ReadOnlyMemory<int> Labels => _labels;

    /// <summary>Weight of each row in the training loss (empty: every row weighs 1). See <see cref="WithSampleWeights"/>.</summary>
    public ReadOnlyMemory<T> SampleWeights => _sampleWeights;

    /// <summary>Whether rows carry sample weights.</summary>
    public bool HasSampleWeights => _sampleWeights.Length > 0;

    /// <summary>
    /// The same rows (values shared, not copied: datasets are immutable) with a weight per row: training minimizes the
    /// weighted mean loss Σ wᵢ·lᵢ / Σ wᵢ over each batch (PyTorch's definition of a weighted loss; with
    /// <see cref="TrainerOptions{T}.ClassWeights"/> a row's weight is its sample weight times its class weight).
    /// Subsets, slices and splits keep each row's weight. Validation losses and metrics are not weighted.
    /// </summary>
    /// <exception cref="ArgumentException">Not one weight per row, a weight negative, NaN or infinite (row named), or all weights zero.</exception>
    public Dataset<T> WithSampleWeights(ReadOnlySpan<T> weights)
    {
        if (weights.Length != Rows)
        {
            ThrowHelper.Argument(nameof(weights), $"{Rows} rows need {Rows} sample weights, but {weights.Length} were given.");
        }
        Guard.EachNonNegative(weights, "Sample weight of row", "weights");
        T sum = T.Zero;
        foreach (T w in weights)
        {
            sum += w;
        }
        if (sum == T.Zero)
        {
            ThrowHelper.Argument(nameof(weights), "Every sample weight is 0: nothing would be learned.");
        }
        return new Dataset<T>(_features, FeatureCount, _targets, TargetCount, _labels, _classNames, weights.ToArray());
    }

    /// <summary>
    /// <paramref name="weights"/> when they weigh anything (a subset may hold only rows of weight 0), else empty:
    /// statistics fitted on the rows fall back to unweighted ones instead of dividing by 0.
    /// </summary>
    internal static ReadOnlySpan<T> WeightsIfAny(ReadOnlySpan<T> weights)
    {
        foreach (T w in weights)
        {
            if (w > T.Zero)
            {
                return weights;
            }
        }
        return [];
    }

    /// <summary>The rows listed in <paramref name="rows"/>, in that order (at least one: an empty dataset is rejected).</summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the dataset.</exception>
    public Dataset<T> Subset(ReadOnlySpan<int> rows)
    {
        if (rows.IsEmpty)
        {
            ThrowHelper.Argument(nameof(rows), $"No rows were given: a dataset needs at least one row (this one has {Rows}).");
        }
        Guard.EachIndex(rows, Rows, "Row index at position", "the dataset's rows");
        var features = new T[(long)rows.Length * FeatureCount];
        var targets = IsClassification ? [] : new T[(long)rows.Length * TargetCount];
        var labels = IsClassification ? new int[rows.Length] : [];
        T[] weights = HasSampleWeights ? new T[rows.Length] : [];
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            Array.Copy(_features, (long)r * FeatureCount, features, (long)i * FeatureCount, FeatureCount);
            if (HasSampleWeights)
            {
                weights[i] = _sampleWeights[r];
            }
            if (IsClassification)
            {
                labels[i] = _labels[r];
            }
            else
            {
                Array.Copy(_targets, (long)r * TargetCount, targets, (long)i * TargetCount, TargetCount);
            }
        }
        return new Dataset<T>(features, FeatureCount, targets, TargetCount, labels, _classNames, weights);
    }

    /// <summary>Rows [start, start + count).</summary>
    /// <exception cref="ArgumentOutOfRangeException">[start, start + count) is empty or not inside the dataset.</exception>
    public Dataset<T> Slice(int start, int count)
    {
        Guard.Between(start, 0, Rows - 1, "Slice start");
        Guard.Between(count, 1, Rows - start, "Slice length");
        var rows = new int[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = start + i;
        }
        return Subset(rows);
    }

    /// <summary>Shuffles rows with <paramref name="seed"/> and cuts them into parts of the given fractions (summing to 1).</summary>
    public Dataset<T>[] Split(int seed, params double[] fractions) => Split(seed, stratify: false, fractions);

    /// <summary>
    /// Like <see cref="Split(int, double[])"/>; with <paramref name="stratify"/> (classification only) every class is
    /// cut in the same proportions, so each part keeps the class balance.
    /// </summary>
    public Dataset<T>[] Split(int seed, bool stratify, params double[] fractions)
    {
        int[][] parts = DatasetSplit.Partition(Rows, IsClassification && stratify ? _labels : null, ClassCount, seed, fractions,
                                               stratify && !IsClassification);
        var result = new Dataset<T>[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            result[i] = Subset(parts[i]);
        }
        return result;
    }

    /// <summary>The same rows and features (shared: the dataset is immutable) with other regression targets.</summary>
    internal Dataset<T> WithTargets(T[] targets)
    {
        Guard.Finite(targets, TargetCount);
        return new Dataset<T>(_features, FeatureCount, targets, TargetCount, [], [], _sampleWeights);
    }

    /// <summary>
    /// Training weight of each listed row: its sample weight (1 without) times the weight of its class (none when
    /// <paramref name="classWeights"/> is empty). Returns their sum.
    /// </summary>
    internal double GatherWeights(ReadOnlySpan<int> rows, ReadOnlySpan<T> classWeights, Span<T> weights)
    {
        double sum = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            T w = HasSampleWeights ? _sampleWeights[r] : T.One;
            if (!classWeights.IsEmpty)
            {
                w *= classWeights[_labels[r]];
            }
            weights[i] = w;
            sum += double.CreateTruncating(w);
        }
        return sum;
    }

    /// <summary>
    /// Copies the listed rows into a batch: x [n × features] (standardized when <paramref name="standardizer"/> is set)
    /// and y [n × width]: regression targets, one-hot rows, or for width 1 with two classes the label as 0/1.
    /// </summary>
    internal void Gather(ReadOnlySpan<int> rows, Standardizer<T>? standardizer, Span<T> x, Span<T> y, int width)
    {
        int features = FeatureCount;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            _features.AsSpan(r * features, features).CopyTo(x.Slice(i * features, features));
            Span<T> target = y.Slice(i * width, width);
            if (!IsClassification)
            {
                _targets.AsSpan(r * width, width).CopyTo(target);
            }
            else if (width == 1)
            {
                target[0] = _labels[r] == 0 ? T.Zero : T.One;
            }
            else
            {
                target.Clear();
                target[_labels[r]] = T.One;
            }
        }
        standardizer?.Apply(x, x, rows.Length);
    }

    internal int Label(int row) => _labels[row];

    /// <summary>
    /// XxHash3 (64-bit) of the whole content: shape, features, targets or labels and class names. Computed once
    /// (the dataset is immutable); checkpoints record it so a resume on other data is refused.
    /// </summary>
    internal ulong Checksum
    {
        get
        {
            if (_checksum is { } known)
            {
                return known.Value;
            }
            var hash = new XxHash3();
            Span<int> shape = [FeatureCount, TargetCount, Rows, _classNames.Length];
            hash.Append(MemoryMarshal.AsBytes(shape));
            hash.Append(MemoryMarshal.AsBytes(_features.AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(_targets.AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(_labels.AsSpan()));
            foreach (string name in _classNames)
            {
                hash.Append(MemoryMarshal.AsBytes(name.AsSpan()));
                hash.Append([0, 0]);
            }
            // Appended only when present, so an unweighted dataset hashes as it did before weights existed.
            hash.Append(MemoryMarshal.AsBytes(_sampleWeights.AsSpan()));
            ulong value = hash.GetCurrentHashAsUInt64();
            _checksum = new(value);
            return value;
        }
    }

    private static int CheckFeatures(ReadOnlySpan<T> features, int featureCount)
    {
        Guard.AtLeast(featureCount, 1, "Features per row");
        if (features.Length == 0)
        {
            ThrowHelper.Argument(nameof(features), "No feature values were given: a dataset needs at least one row.");
        }
        if (features.Length % featureCount != 0)
        {
            ThrowHelper.Argument(nameof(features), $"{features.Length} feature values are not a whole number of rows of {featureCount}.");
        }
        Guard.Finite(features, featureCount);
        return features.Length / featureCount;
    }

    /// <summary>Every class needs a distinct, non-empty name: predictions and reports refer to classes by name.</summary>
    private static void CheckClassNames(string[] names)
    {
        var seen = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            string? name = names[c];
            if (string.IsNullOrWhiteSpace(name))
            {
                ThrowHelper.Argument("classNames", $"Class name {c} is {(name is null ? "null" : $"'{name}'")}; every class needs a non-empty name.");
            }
            if (!seen.TryAdd(name, c))
            {
                ThrowHelper.Argument("classNames", $"Class name '{name}' is given twice (classes {seen[name]} and {c}); class names must be distinct.");
            }
        }
    }
}
