namespace FastMlp;

/// <summary>
/// One column of a <see cref="TabularSchema"/>: its kind and what was learnt from the training rows,
/// and where its encoded features sit in the model's input row.
/// </summary>
public sealed class TabularColumn
{
    internal TabularColumn(string name, ColumnKind kind, double fillValue, bool missingIndicator,
                           string[] categories, string[] rareCategories, bool hasMissing)
    {
        Name = name;
        Kind = kind;
        FillValue = fillValue;
        HasMissingIndicator = missingIndicator;
        Categories = categories;
        RareCategories = rareCategories;
        HasOtherCategory = rareCategories.Length > 0;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < categories.Length; i++)
        {
            index.Add(categories[i], i);
        }
        foreach (string rare in rareCategories)
        {
            index.Add(rare, categories.Length); // the "other" feature
        }
        CategoryIndex = index;
        HasMissingCategory = hasMissing;
        FeatureCount = kind == ColumnKind.Numeric ? (missingIndicator ? 2 : 1)
                                                  : categories.Length + (HasOtherCategory ? 1 : 0) + (hasMissing ? 1 : 0);
    }

    /// <summary>The column name in the raw table.</summary>
    public string Name { get; }

    /// <summary>Numeric or categorical.</summary>
    public ColumnKind Kind { get; }

    /// <summary>Numeric columns: the value a missing cell becomes (training mean or median). 0 for categorical columns.</summary>
    public double FillValue { get; }

    /// <summary>Numeric columns: a 0/1 feature after the value says whether the cell was missing.</summary>
    public bool HasMissingIndicator { get; }

    /// <summary>Categorical columns: the categories with a feature of their own, in feature order (ordinal sort).</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Categorical columns: the training categories rarer than the minimum count, which share the "other" feature.</summary>
    public IReadOnlyList<string> RareCategories { get; }

    /// <summary>Categorical columns: rare training categories share one "other" feature, after <see cref="Categories"/>.</summary>
    public bool HasOtherCategory { get; }

    /// <summary>Category → offset of its feature within the column (rare ones → the "other" feature).</summary>
    internal Dictionary<string, int> CategoryIndex { get; }

    /// <summary>Categorical columns: missing cells (seen in training) have their own feature, last.</summary>
    public bool HasMissingCategory { get; }

    /// <summary>Index of this column's first feature in the encoded row.</summary>
    public int FirstFeature { get; internal set; }

    /// <summary>How many encoded features this column has.</summary>
    public int FeatureCount { get; }

    /// <summary>The names of this column's encoded features: <c>age</c>, <c>age (missing)</c>, <c>job=clerk</c>, <c>job=(other)</c>, <c>job=(missing)</c>.</summary>
    public IEnumerable<string> FeatureNames()
    {
        if (Kind == ColumnKind.Numeric)
        {
            yield return Name;
            if (HasMissingIndicator)
            {
                yield return $"{Name} (missing)";
            }
            yield break;
        }
        foreach (string category in Categories)
        {
            yield return $"{Name}={category}";
        }
        if (HasOtherCategory)
        {
            yield return $"{Name}=(other)";
        }
        if (HasMissingCategory)
        {
            yield return $"{Name}=(missing)";
        }
    }
}
