using System.Globalization;

namespace FastMlp;

public sealed partial class TabularSchema
{
    /// <summary>
    /// Encodes one raw row (cells in <see cref="ColumnNames"/>' order) into <paramref name="destination"/>
    /// [<see cref="FeatureCount"/>]; returns how many cells held a category unseen in training (encoded as zeros).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="ArgumentException">The row or <paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="TabularDataException">A numeric column holds text, or a number out of <typeparamref name="T"/>'s range.</exception>
    public int Encode<T>(IReadOnlyList<string?> row, Span<T> destination) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(row);
        if (destination.Length != FeatureCount)
        {
            ThrowHelper.Argument(nameof(destination), $"destination has {destination.Length} values, but the schema encodes {FeatureCount} features.");
        }
        return EncodeRow(row, destination, null, default);
    }

    /// <summary>Encodes a row given by column name (extra names are ignored; null cells are missing).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="ArgumentException">A column of the schema is not in <paramref name="row"/>, or <paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="TabularDataException">A numeric column holds text, or a number out of <typeparamref name="T"/>'s range.</exception>
    public int Encode<T>(IReadOnlyDictionary<string, string?> row, Span<T> destination) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(row);
        var cells = new string?[_columns.Length];
        for (int c = 0; c < cells.Length; c++)
        {
            if (!row.TryGetValue(_columns[c].Name, out cells[c]))
            {
                ThrowHelper.Argument(nameof(row), $"The row has no column '{_columns[c].Name}'; the model needs {string.Join(", ", ColumnNames)}.");
            }
        }
        return Encode(cells, destination);
    }

    /// <summary>
    /// Encodes a row of objects by column name: null and <see cref="DBNull"/> are missing, numbers are formatted
    /// with the invariant culture, anything else by its <see cref="object.ToString"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    /// <exception cref="ArgumentException">A column of the schema is not in <paramref name="row"/>, or <paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="TabularDataException">A numeric column holds text, or a number out of <typeparamref name="T"/>'s range.</exception>
    public int Encode<T>(IReadOnlyDictionary<string, object?> row, Span<T> destination) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(row);
        var cells = new Dictionary<string, string?>(_columns.Length, StringComparer.Ordinal);
        foreach (TabularColumn column in _columns)
        {
            if (row.TryGetValue(column.Name, out object? value))
            {
                cells[column.Name] = value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }
        foreach (TabularColumn column in _columns)
        {
            if (!cells.ContainsKey(column.Name))
            {
                ThrowHelper.Argument(nameof(row), $"The row has no column '{column.Name}'; the model needs {string.Join(", ", ColumnNames)}.");
            }
        }
        return Encode(cells, destination);
    }

    /// <summary>
    /// Encodes many raw rows (cells in <see cref="ColumnNames"/>' order) into one row-major feature matrix,
    /// counting unseen categories per column.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">A row has the wrong number of cells.</exception>
    /// <exception cref="TabularDataException">A numeric column holds text (<see cref="TabularDataException.Row"/> says which row).</exception>
    public TabularBatch<T> Encode<T>(IReadOnlyList<IReadOnlyList<string?>> rows) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new T[(long)rows.Count * FeatureCount];
        var unseen = new int[_columns.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            EncodeRow(rows[r] ?? throw new ArgumentException($"Row {r} is null.", nameof(rows)), features.AsSpan(r * FeatureCount, FeatureCount), r, unseen);
        }
        var byColumn = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < unseen.Length; c++)
        {
            if (unseen[c] > 0)
            {
                byColumn[_columns[c].Name] = unseen[c];
            }
        }
        return new TabularBatch<T>(features, rows.Count, FeatureCount, byColumn);
    }

    private int EncodeRow<T>(IReadOnlyList<string?> row, Span<T> destination, int? rowIndex, Span<int> unseenPerColumn) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (row.Count != _columns.Length)
        {
            ThrowHelper.Argument("row", $"{(rowIndex is { } i ? $"Row {i}" : "The row")} has {row.Count} cells, but the schema has {_columns.Length} columns ({string.Join(", ", ColumnNames)}).");
        }
        int unseen = 0;
        destination.Clear();
        for (int c = 0; c < _columns.Length; c++)
        {
            TabularColumn column = _columns[c];
            Span<T> target = destination.Slice(column.FirstFeature, column.FeatureCount);
            string? cell = row[c]?.Trim();
            bool isMissing = cell is null || _missing.Contains(cell);
            if (column.Kind == ColumnKind.Numeric)
            {
                double value = column.FillValue;
                if (!isMissing && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    throw new TabularDataException(column.Name, rowIndex, $"'{cell}' is not a number (the column is numeric; missing cells are {DescribeTokens()}).");
                }
                if (!double.IsFinite(value))
                {
                    throw new TabularDataException(column.Name, rowIndex, $"'{cell}' is {NotFinite}");
                }
                T encoded = T.CreateTruncating(value);
                if (!T.IsFinite(encoded))
                {
                    throw new TabularDataException(column.Name, rowIndex, string.Create(CultureInfo.InvariantCulture,
                        $"'{cell}' is out of {(typeof(T) == typeof(float) ? "float" : "double")} range (the largest magnitude is {(typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue):G9}); rescale the column."));
                }
                target[0] = encoded;
                if (column.HasMissingIndicator)
                {
                    target[1] = isMissing ? T.One : T.Zero;
                }
            }
            else if (isMissing)
            {
                if (column.HasMissingCategory)
                {
                    target[^1] = T.One;
                }
            }
            else if (column.CategoryIndex.TryGetValue(cell!, out int offset))
            {
                target[offset] = T.One;
            }
            else
            {
                unseen++;
                if (!unseenPerColumn.IsEmpty)
                {
                    unseenPerColumn[c]++;
                }
            }
        }
        return unseen;
    }

    private string DescribeTokens() =>
        string.Join(", ", _missingTokens.Select(t => t.Length == 0 ? "empty" : $"'{t}'"));
}
