namespace FastMlp;

/// <summary>
/// How <see cref="TabularSchema.Fit"/> reads a raw table: which columns are forced to a kind, which cells
/// count as missing, how missing numbers are filled in, and when a category is too rare for its own feature.
/// </summary>
public sealed class TabularSchemaOptions
{
    /// <summary>The missing-cell tokens used when none are given: "", NA, N/A, NaN, ?, null (compared ignoring case).</summary>
    public static IReadOnlyList<string> DefaultMissingTokens { get; } = ["", "NA", "N/A", "NaN", "?", "null"];

    /// <summary>Columns read as categories even when every value is a number (e.g. codes such as zip codes).</summary>
    public IReadOnlyCollection<string> CategoricalColumns { get; init; } = [];

    /// <summary>Columns that must be numbers: a text cell in one of them is an error instead of making it categorical.</summary>
    public IReadOnlyCollection<string> NumericColumns { get; init; } = [];

    /// <summary>Cells (after trimming, ignoring case) that mean "missing".</summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = DefaultMissingTokens;

    /// <summary>How missing numbers are filled in (default: the training mean).</summary>
    public Imputation Imputation { get; init; } = Imputation.Mean;

    /// <summary>
    /// Adds a 0/1 feature after each numeric column that had missing cells in training, set where the cell
    /// was missing (so the network can tell an imputed value from a real one).
    /// </summary>
    public bool MissingIndicators { get; init; }

    /// <summary>Categories seen fewer times than this in training share one "other" feature (default 1: none merged).</summary>
    public int MinCategoryCount { get; init; } = 1;

    /// <summary>
    /// A categorical column with more distinct training values than this is refused (an identifier or free
    /// text, which one-hot encoding cannot use); default 1000.
    /// </summary>
    public int MaxCategories { get; init; } = 1000;

    internal void Validate(IReadOnlyList<string> columns)
    {
        Guard.AtLeast(MinCategoryCount, 1, "MinCategoryCount");
        Guard.AtLeast(MaxCategories, 1, "MaxCategories");
        if (!Enum.IsDefined(Imputation))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(Imputation), $"Imputation {(int)Imputation} is not Mean or Median.");
        }
        if (MissingTokens is null || MissingTokens.Any(t => t is null))
        {
            ThrowHelper.Argument(nameof(MissingTokens), "MissingTokens must be a list of non-null strings.");
        }
        foreach ((IReadOnlyCollection<string> names, string option) in new[] { (CategoricalColumns, nameof(CategoricalColumns)), (NumericColumns, nameof(NumericColumns)) })
        {
            if (names is null)
            {
                ThrowHelper.Argument(option, $"{option} must not be null.");
            }
            foreach (string name in names)
            {
                if (!columns.Contains(name))
                {
                    ThrowHelper.Argument(option, $"{option} names '{name}', which is not a column of the table ({string.Join(", ", columns)}).");
                }
            }
        }
        foreach (string name in CategoricalColumns)
        {
            if (NumericColumns.Contains(name))
            {
                ThrowHelper.Argument(nameof(NumericColumns), $"Column '{name}' is named both categorical and numeric.");
            }
        }
    }
}
