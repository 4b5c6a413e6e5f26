namespace FastMlp;

/// <summary>Whether a table column is read as a number or as a category.</summary>
public enum ColumnKind
{
    /// <summary>A number (missing cells imputed with the training mean or median).</summary>
    Numeric,

    /// <summary>A category, one-hot encoded (missing cells are their own category).</summary>
    Categorical,
}
