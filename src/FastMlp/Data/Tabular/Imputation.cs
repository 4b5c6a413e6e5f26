namespace FastMlp;

/// <summary>How a missing numeric cell is filled in.</summary>
public enum Imputation
{
    /// <summary>The mean of the column's training values.</summary>
    Mean,

    /// <summary>The median of the column's training values (robust to outliers).</summary>
    Median,
}
