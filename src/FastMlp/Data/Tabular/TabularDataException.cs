namespace FastMlp;

/// <summary>
/// A raw table cannot be read with a <see cref="TabularSchema"/>: a text cell in a numeric column, a
/// column with no value at all, a categorical column with too many distinct values, a row missing a
/// column. <see cref="Column"/> and <see cref="Row"/> say where, so that a caller reading a file can
/// name its line.
/// </summary>
public sealed class TabularDataException : FormatException
{
    /// <summary>An error about <paramref name="column"/> (and row <paramref name="row"/>, if one row is at fault).</summary>
    public TabularDataException(string column, int? row, string reason)
        : base(row is { } r ? $"Column '{column}', row {r}: {reason}" : $"Column '{column}': {reason}")
    {
        Column = column;
        Row = row;
        Reason = reason;
    }

    /// <summary>The column at fault.</summary>
    public string Column { get; }

    /// <summary>The zero-based index of the row at fault among the rows given; null when the whole column is.</summary>
    public int? Row { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}
