using System.Globalization;

namespace FastMlp;

/// <summary>
/// Permutation feature importance (Breiman 2001; scikit-learn's <c>permutation_importance</c>): how much a model's
/// score drops when the values of one group of features are shuffled across rows, which breaks their link to the
/// target while keeping their distribution. Groups let the one-hot features of one categorical column move together.
/// Seeded and deterministic: the same inputs give the same numbers, whatever else is computed.
/// </summary>
public static class PermutationImportance
{
    /// <summary>
    /// Scores <paramref name="model"/> on <paramref name="data"/>, then once per group and repeat with that group's
    /// features shuffled by one row permutation, and returns each group's drops in score (mean ± population standard
    /// deviation over the repeats, as scikit-learn reports).
    /// </summary>
    /// <param name="model">The model to explain (it is only read).</param>
    /// <param name="data">Labelled rows to score on (held-out data says what the model relies on when it generalizes).</param>
    /// <param name="repeats">Shuffles per group (≥ 1).</param>
    /// <param name="seed">Seed of the shuffles; each group draws from its own stream derived from the seed and its index.</param>
    /// <param name="metric">The score (higher is better); <see cref="ImportanceMetric.Default"/>: accuracy or R².</param>
    /// <param name="featureGroups">Indices of the model inputs to shuffle together, one list per group (null: one group per input).</param>
    /// <param name="groupNames">A name per group (null: the model's feature names, else "feature i", joined with '+' for a group).</param>
    /// <param name="cancellationToken">Checked before each shuffled evaluation.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repeats"/> is below 1, or <paramref name="metric"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">
    /// The dataset does not fit the model; the metric does not apply to the task or is undefined on the data (ROC-AUC of one class);
    /// a group is empty, repeats an index or names an input the model does not have; the names do not match the groups.
    /// </exception>
    public static PermutationImportanceResult Compute<T>(InferenceModel<T> model, Dataset<T> data, int repeats = 5, int seed = 0,
                                                        ImportanceMetric metric = ImportanceMetric.Default,
                                                        IReadOnlyList<IReadOnlyList<int>>? featureGroups = null, IReadOnlyList<string>? groupNames = null,
                                                        CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Guard.AtLeast(repeats, 1, "repeats");
        metric = Resolve(metric, data.IsClassification);
        int features = data.FeatureCount;
        int[][] groups = CheckGroups(featureGroups, features);
        string[] names = Names(groupNames, groups, model.Network.FeatureNames);

        double baseline = Score(model.EvaluateWith(data, null), metric);
        if (double.IsNaN(baseline))
        {
            ThrowHelper.Argument(nameof(data), $"{metric} is undefined on this data (ROC-AUC needs rows of more than one class); choose another metric.");
        }
        T[] original = data.Features.ToArray(), shuffled = data.Features.ToArray();
        int rows = data.Rows;
        var order = new int[rows];
        var result = new FeatureImportance[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            var random = new Random(StreamSeed(seed, g));
            var drops = new double[repeats];
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int r = 0; r < rows; r++)
                {
                    order[r] = r;
                }
                random.Shuffle(order);
                // One permutation for the whole group: its features stay together, row by row.
                foreach (int f in groups[g])
                {
                    for (int r = 0; r < rows; r++)
                    {
                        shuffled[(r * features) + f] = original[(order[r] * features) + f];
                    }
                }
                drops[repeat] = baseline - Score(model.EvaluateWith(data, shuffled), metric);
            }
            foreach (int f in groups[g])
            {
                for (int r = 0; r < rows; r++)
                {
                    shuffled[(r * features) + f] = original[(r * features) + f];
                }
            }
            result[g] = new FeatureImportance(names[g], groups[g], drops);
        }
        return new PermutationImportanceResult(metric, baseline, result);
    }

    private static ImportanceMetric Resolve(ImportanceMetric metric, bool classification)
    {
        Guard.Defined(metric);
        if (metric == ImportanceMetric.Default)
        {
            return classification ? ImportanceMetric.Accuracy : ImportanceMetric.RSquared;
        }
        bool forClassification = metric is ImportanceMetric.Accuracy or ImportanceMetric.BalancedAccuracy or ImportanceMetric.MacroF1
            or ImportanceMetric.RocAuc or ImportanceMetric.NegativeLogLoss;
        if (forClassification != classification)
        {
            ThrowHelper.Argument(nameof(metric), $"{metric} scores {(forClassification ? "classification" : "regression")}, but the dataset is a {(classification ? "classification" : "regression")} task.");
        }
        return metric;
    }

    private static double Score(EvaluationResult result, ImportanceMetric metric) => metric switch
    {
        ImportanceMetric.Accuracy => result.Accuracy,
        ImportanceMetric.BalancedAccuracy => result.BalancedAccuracy,
        ImportanceMetric.MacroF1 => result.MacroAverage.F1,
        ImportanceMetric.RocAuc => result.RocAuc,
        ImportanceMetric.NegativeLogLoss => -result.LogLoss,
        ImportanceMetric.RSquared => result.RSquared,
        ImportanceMetric.NegativeRootMeanSquaredError => -result.RootMeanSquaredError,
        _ => -result.MeanAbsoluteError,
    };

    private static int[][] CheckGroups(IReadOnlyList<IReadOnlyList<int>>? featureGroups, int features)
    {
        if (featureGroups is null)
        {
            return [.. Enumerable.Range(0, features).Select(f => new[] { f })];
        }
        if (featureGroups.Count == 0)
        {
            ThrowHelper.Argument(nameof(featureGroups), "featureGroups is empty; give at least one group (or null for one group per input).");
        }
        var groups = new int[featureGroups.Count][];
        for (int g = 0; g < groups.Length; g++)
        {
            IReadOnlyList<int> group = featureGroups[g] ?? throw new ArgumentException($"featureGroups[{g}] is null.", nameof(featureGroups));
            if (group.Count == 0)
            {
                ThrowHelper.Argument(nameof(featureGroups), $"featureGroups[{g}] is empty.");
            }
            var seen = new HashSet<int>();
            foreach (int f in group)
            {
                if ((uint)f >= (uint)features)
                {
                    ThrowHelper.Argument(nameof(featureGroups), $"featureGroups[{g}] names input {f}, but the model has inputs 0 to {features - 1}.");
                }
                if (!seen.Add(f))
                {
                    ThrowHelper.Argument(nameof(featureGroups), $"featureGroups[{g}] lists input {f} twice.");
                }
            }
            groups[g] = [.. group];
        }
        return groups;
    }

    private static string[] Names(IReadOnlyList<string>? groupNames, int[][] groups, IReadOnlyList<string>? featureNames)
    {
        if (groupNames is not null)
        {
            if (groupNames.Count != groups.Length)
            {
                ThrowHelper.Argument(nameof(groupNames), $"{groupNames.Count} group names were given for {groups.Length} groups.");
            }
            return [.. groupNames.Select((n, g) => n ?? throw new ArgumentException($"groupNames[{g}] is null.", nameof(groupNames)))];
        }
        return [.. groups.Select(group => string.Join('+', group.Select(f => featureNames?[f] ?? string.Create(CultureInfo.InvariantCulture, $"feature {f}"))))];
    }

    /// <summary>A well-mixed seed per (seed, group) (SplitMix64's finalizer), so one group's shuffles do not depend on the others.</summary>
    private static int StreamSeed(int seed, int group)
    {
        ulong z = ((ulong)(uint)seed << 32) | (uint)group;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
