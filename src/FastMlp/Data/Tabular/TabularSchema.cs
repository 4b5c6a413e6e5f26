using System.Globalization;

namespace FastMlp;

/// <summary>
/// How a raw table (cells as text, by column name) becomes the numeric rows a <see cref="Dataset{T}"/> and a
/// model take: per column, numeric or categorical, the missing-cell tokens, the fill value of numeric columns
/// (training mean or median, optionally with a missing-indicator feature) and the one-hot categories of
/// categorical ones (rare categories merged into "other", missing cells a category of their own). Fitted on
/// the training rows only (<see cref="Fit"/>), then applied unchanged to validation, test and new rows, so no
/// statistic leaks from held-out data. Immutable and thread-safe; saved in model files with
/// <see cref="Mlp{T}.Schema"/>.
/// </summary>
/// <remarks>
/// At encoding time a category not seen in training becomes all zeros in its column's features and is
/// counted (<see cref="TabularBatch{T}.UnseenCount"/>); a missing cell in a categorical column that had none in
/// training also becomes all zeros (not counted).
/// </remarks>
public sealed partial class TabularSchema
{
    private readonly TabularColumn[] _columns;
    private readonly string[] _missingTokens;
    private readonly HashSet<string> _missing;
    private readonly Dictionary<string, int> _columnIndex;

    internal TabularSchema(TabularColumn[] columns, string[] missingTokens, Imputation imputation)
    {
        _columns = columns;
        _missingTokens = missingTokens;
        _missing = new HashSet<string>(missingTokens.Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        Imputation = imputation;
        int first = 0;
        var groups = new (string, int, int)[columns.Length];
        var names = new List<string>();
        for (int c = 0; c < columns.Length; c++)
        {
            if (!_columnIndex.TryAdd(columns[c].Name, c))
            {
                ThrowHelper.Argument("columns", $"Column name '{columns[c].Name}' appears twice; column names must be unique.");
            }
            columns[c].FirstFeature = first;
            groups[c] = (columns[c].Name, first, columns[c].FeatureCount);
            names.AddRange(columns[c].FeatureNames());
            first += columns[c].FeatureCount;
        }
        FeatureCount = first;
        ColumnNames = [.. columns.Select(c => c.Name)];
        FeatureGroups = groups;
        FeatureNames = names.ToArray();
    }

    /// <summary>The raw columns in the order rows are given to <see cref="Encode{T}(IReadOnlyList{string}, Span{T})"/>.</summary>
    public IReadOnlyList<TabularColumn> Columns => _columns;

    /// <summary>The raw column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Cells (trimmed, ignoring case) that mean "missing".</summary>
    public IReadOnlyList<string> MissingTokens => _missingTokens;

    /// <summary>How the fill values of numeric columns were computed.</summary>
    public Imputation Imputation { get; }

    /// <summary>Encoded features per row (the model's input count).</summary>
    public int FeatureCount { get; }

    /// <summary>Names of the encoded features in order (see <see cref="TabularColumn.FeatureNames"/>).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>
    /// Which encoded features come from which raw column: (column, first feature, feature count), in column
    /// order; the groups tile the encoded row. Use them to permute or drop a whole original column.
    /// </summary>
    public IReadOnlyList<(string Column, int First, int Count)> FeatureGroups { get; }

    /// <summary>True when the encoding is more than reading numbers: a categorical column or a missing-indicator feature.</summary>
    public bool HasEncodedColumns => _columns.Any(c => c.Kind == ColumnKind.Categorical || c.HasMissingIndicator);

    /// <summary>Whether <paramref name="cell"/> is one of the <see cref="MissingTokens"/> (null is always missing).</summary>
    public bool IsMissing(string? cell) => cell is null || _missing.Contains(cell.Trim());

    /// <summary>The index of column <paramref name="name"/> in <see cref="Columns"/>, or −1.</summary>
    public int IndexOf(string name) => _columnIndex.TryGetValue(name, out int i) ? i : -1;

    /// <summary>
    /// Infers a schema from training rows: a column is numeric when every non-missing cell is a finite number
    /// (unless named in <see cref="TabularSchemaOptions.CategoricalColumns"/>), else categorical.
    /// </summary>
    /// <param name="columns">The column names (features only: leave the target out).</param>
    /// <param name="rows">The training rows, each with one cell per column in <paramref name="columns"/>' order.</param>
    /// <param name="options">Overrides, missing tokens, imputation and rare-category settings (null: defaults).</param>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> or <paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">No columns or rows, duplicate column names, a row of the wrong length, or options naming unknown columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (MinCategoryCount or MaxCategories below 1).</exception>
    /// <exception cref="TabularDataException">A column has no value in any row, a numeric column holds text, or a categorical column has more than MaxCategories distinct values.</exception>
    public static TabularSchema Fit(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string?>> rows, TabularSchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new TabularSchemaOptions();
        if (columns.Count == 0)
        {
            ThrowHelper.Argument(nameof(columns), "A schema needs at least one column.");
        }
        if (rows.Count == 0)
        {
            ThrowHelper.Argument(nameof(rows), "A schema is fitted on at least one row.");
        }
        if (columns.Any(c => c is null))
        {
            ThrowHelper.Argument(nameof(columns), "Column names must not be null.");
        }
        options.Validate(columns);
        string[] tokens = [.. options.MissingTokens];
        var missing = new HashSet<string>(tokens.Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r] is null || rows[r].Count != columns.Count)
            {
                ThrowHelper.Argument(nameof(rows), $"Row {r} has {rows[r]?.Count ?? 0} cells, but there are {columns.Count} columns.");
            }
        }
        var fitted = new TabularColumn[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            fitted[c] = FitColumn(columns[c], c, rows, missing, options);
        }
        return new TabularSchema(fitted, tokens, options.Imputation);
    }

    private static TabularColumn FitColumn(string name, int c, IReadOnlyList<IReadOnlyList<string?>> rows, HashSet<string> missing, TabularSchemaOptions options)
    {
        var values = new List<double>(rows.Count);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int missingCount = 0, firstText = -1, firstNonFinite = -1;
        for (int r = 0; r < rows.Count; r++)
        {
            string? cell = rows[r][c]?.Trim();
            if (cell is null || missing.Contains(cell))
            {
                missingCount++;
                continue;
            }
            CollectionsMarshalIncrement(counts, cell);
            if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                if (double.IsFinite(v))
                {
                    values.Add(v);
                }
                else if (firstNonFinite < 0)
                {
                    firstNonFinite = r;
                }
            }
            else if (firstText < 0)
            {
                firstText = r;
            }
        }
        if (missingCount == rows.Count)
        {
            throw new TabularDataException(name, null, $"every one of the {rows.Count} training rows is missing (empty or a missing token); drop the column.");
        }
        bool categorical = options.CategoricalColumns.Contains(name) || firstText >= 0;
        if (categorical && options.NumericColumns.Contains(name))
        {
            throw new TabularDataException(name, firstText, $"'{rows[firstText][c]?.Trim()}' is not a number, but the column was declared numeric.");
        }
        if (!categorical && firstNonFinite >= 0)
        {
            throw new TabularDataException(name, firstNonFinite, $"'{rows[firstNonFinite][c]?.Trim()}' is {NotFinite}");
        }
        if (!categorical)
        {
            double fill = options.Imputation == Imputation.Median ? Median(values) : Mean(values);
            return new TabularColumn(name, ColumnKind.Numeric, fill, options.MissingIndicators && missingCount > 0, [], [], false);
        }
        if (counts.Count > options.MaxCategories)
        {
            throw new TabularDataException(name, null, string.Create(CultureInfo.InvariantCulture,
                $"{counts.Count} distinct values in {rows.Count} training rows, more than {options.MaxCategories} categories; an identifier or free text cannot be one-hot encoded: drop the column (or raise the limit)."));
        }
        string[] kept = [.. counts.Where(kv => kv.Value >= options.MinCategoryCount).Select(kv => kv.Key).Order(StringComparer.Ordinal)];
        string[] rare = [.. counts.Where(kv => kv.Value < options.MinCategoryCount).Select(kv => kv.Key).Order(StringComparer.Ordinal)];
        return new TabularColumn(name, ColumnKind.Categorical, 0, false, kept, rare, missingCount > 0);
    }

    private static void CollectionsMarshalIncrement(Dictionary<string, int> counts, string key) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;

    private const string NotFinite = "not a finite number (NaN and infinities are not allowed; missing cells are given as missing tokens).";

    private static double Mean(List<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }
        return sum / values.Count;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
