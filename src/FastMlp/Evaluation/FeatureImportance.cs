namespace FastMlp;

/// <summary>
/// How much a model's score drops when one group of features is shuffled across rows (one entry of a
/// <see cref="PermutationImportanceResult"/>): the baseline score minus the shuffled score, once per repeat.
/// </summary>
public sealed class FeatureImportance
{
    internal FeatureImportance(string name, int[] features, double[] drops)
    {
        Name = name;
        Features = features;
        Drops = drops;
        Mean = drops.Average();
        // Population standard deviation (ddof = 0), as scikit-learn's importances_std.
        double variance = drops.Sum(d => (d - Mean) * (d - Mean)) / drops.Length;
        StandardDeviation = Math.Sqrt(variance);
    }

    /// <summary>The group's name (a feature name, or the original column its one-hot features came from).</summary>
    public string Name { get; }

    /// <summary>Indices of the model inputs shuffled together.</summary>
    public IReadOnlyList<int> Features { get; }

    /// <summary>Baseline score minus the score with the group shuffled, per repeat (positive: the model relies on the group).</summary>
    public IReadOnlyList<double> Drops { get; }

    /// <summary>Mean of <see cref="Drops"/>.</summary>
    public double Mean { get; }

    /// <summary>Population standard deviation of <see cref="Drops"/>.</summary>
    public double StandardDeviation { get; }
}
