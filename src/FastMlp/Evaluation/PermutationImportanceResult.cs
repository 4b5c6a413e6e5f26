namespace FastMlp;

/// <summary>The outcome of <see cref="PermutationImportance.Compute{T}"/>: the baseline score and each group's drop.</summary>
public sealed class PermutationImportanceResult
{
    internal PermutationImportanceResult(ImportanceMetric metric, double baseline, FeatureImportance[] groups)
    {
        Metric = metric;
        BaselineScore = baseline;
        Groups = groups;
    }

    /// <summary>The score measured (never <see cref="ImportanceMetric.Default"/>: the metric it stood for).</summary>
    public ImportanceMetric Metric { get; }

    /// <summary>The score on the unshuffled data.</summary>
    public double BaselineScore { get; }

    /// <summary>One entry per feature group, in the order given.</summary>
    public IReadOnlyList<FeatureImportance> Groups { get; }
}
