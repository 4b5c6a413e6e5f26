using System.Globalization;
using nietras.SeparatedValues;

namespace FastMlp.Cli.Data;

/// <summary>Whether a target is a class label or a number to regress.</summary>
internal enum TaskKind
{
    Auto,
    Classification,
    Regression,
}

/// <summary>A table read from a CSV file: named numeric feature columns and one target column.</summary>
internal sealed class TabularData
{
    public required string Source { get; init; }
    public required string[] FeatureNames { get; init; }
    public required string TargetName { get; init; }
    /// <summary>The target columns (one, or several for a multi-target regression).</summary>
    public string[] TargetNames { get => field ?? [TargetName]; init; }
    /// <summary>The column that weighs each row in the training loss (--sample-weight), if any.</summary>
    public string? SampleWeightName { get; init; }
    public required Dataset<float> Dataset { get; init; }
    /// <summary>Features already on a common [0, 1] scale (image pixels): no standardization needed.</summary>
    public bool IsScaled { get; init; }

    /// <summary>
    /// The feature cells as text, when loaded for a <see cref="TabularSchema"/> (then <see cref="Dataset"/>'s single
    /// feature is each row's index into <see cref="RawTable.Rows"/>, so that a split can be encoded part by part).
    /// </summary>
    public RawTable? Raw { get; init; }
}

/// <summary>Feature cells as read (trimmed text), with each column's 1-based position and each row's line in the file, for error messages.</summary>
internal sealed record RawTable(string[] Columns, int[] ColumnNumbers, string[][] Rows, int[] Lines);

/// <summary>
/// CSV loading (Sep) with errors that name the file, line and column: every feature must be a finite number;
/// the target column is a class name or number. The task is inferred unless given: a non-numeric target, or an
/// integer target with few distinct values, is a classification; anything else a regression.
/// </summary>
internal static partial class CsvDataset
{
    /// <summary>Integer targets with at most this many distinct values are taken as classes.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>Reads a training/evaluation file with a target column. <paramref name="path"/> "-" reads stdin.</summary>
    /// <remarks>
    /// With <paramref name="raw"/> the feature cells are kept as text (<see cref="TabularData.Raw"/>) for a schema to
    /// encode, and the dataset's one feature is the row index.
    /// </remarks>
    public static TabularData Load(string path, string? target, TaskKind task, TextReader? stdin = null, IReadOnlyList<string>? classNames = null, bool raw = false,
                                   string? sampleWeight = null)
    {
        (string name, string[] header, List<string[]> rows, List<int> lines) = ReadAll(path, stdin);
        string[] targetNames = TargetColumns(target ?? header[^1], header);
        int[] targetIndices = [.. targetNames.Select(t => Array.IndexOf(header, t))];
        for (int t = 0; t < targetNames.Length; t++)
        {
            if (targetIndices[t] < 0)
            {
                throw new CliException($"{name}: no column named '{targetNames[t]}' for --target; the columns are: {string.Join(", ", header)}.");
            }
        }
        if (targetNames.Length > 1)
        {
            return LoadMultiTarget(name, header, rows, lines, targetNames, targetIndices, task, raw, sampleWeight);
        }
        target = targetNames[0];
        int targetIndex = targetIndices[0];
        int weightIndex = WeightColumn(name, header, sampleWeight, targetNames);
        int[] skip = weightIndex < 0 ? [targetIndex] : [targetIndex, weightIndex];
        if (header.Length < skip.Length + 1)
        {
            throw new CliException($"{name}: needs at least one feature column besides the target '{target}'{(weightIndex < 0 ? "" : $" and the sample weight '{sampleWeight}'")}.");
        }
        (string[] featureNames, float[] features, int featureCount, RawTable? rawTable) = ReadFeatures(name, header, rows, lines, skip, raw);

        string[] targets = [.. rows.Select(r => r[targetIndex].Trim())];
        for (int r = 0; r < targets.Length; r++)
        {
            if (targets[r].Length == 0)
            {
                throw new CliException($"{name}: line {lines[r]}, column {targetIndex + 1} ('{target}'): the target is empty.");
            }
        }
        bool numeric = targets.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (task == TaskKind.Auto)
        {
            bool fewIntegers = numeric
                && targets.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v == Math.Round(v) && Math.Abs(v) < 1e9)
                && targets.Distinct().Count() <= MaxInferredClasses;
            task = !numeric || fewIntegers ? TaskKind.Classification : TaskKind.Regression;
        }

        Dataset<float> dataset;
        if (task == TaskKind.Classification)
        {
            string[] classes = classNames is not null ? [.. classNames] : OrderClasses(targets.Distinct(), numeric);
            if (classNames is null && classes.Length < 2)
            {
                throw new CliException($"{name}: the target column '{target}' has only one class ('{classes[0]}'); a classifier needs at least two.");
            }
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < classes.Length; c++)
            {
                index[classes[c]] = c;
            }
            var labels = new int[targets.Length];
            for (int r = 0; r < targets.Length; r++)
            {
                if (!index.TryGetValue(Canonical(targets[r], numeric), out labels[r]))
                {
                    throw new CliException($"{name}: line {lines[r]}, column {targetIndex + 1} ('{target}'): class '{targets[r]}' is not one the model knows ({string.Join(", ", classes)}).");
                }
            }
            dataset = Dataset<float>.ForClassification(features, labels, featureCount, classes.Length, classes);
        }
        else
        {
            var y = new float[targets.Length];
            for (int r = 0; r < targets.Length; r++)
            {
                y[r] = ParseNumber(name, targets[r], lines[r], targetIndex, target);
            }
            dataset = Dataset<float>.ForRegression(features, y, featureCount);
        }
        return new TabularData
        {
            Source = name,
            FeatureNames = featureNames,
            TargetName = target,
            Dataset = WithWeights(name, dataset, header, rows, lines, weightIndex),
            Raw = rawTable,
            SampleWeightName = weightIndex < 0 ? null : sampleWeight
        };
    }

    /// <summary>
    /// Reads the feature cells for a model with a schema, as text in the order of <paramref name="columns"/>; columns
    /// are matched by name as in <see cref="LoadFeatures"/>.
    /// </summary>
    public static (string Source, RawTable Table) LoadRawFeatures(string path, IReadOnlyList<string> columns, TextReader? stdin = null,
                                                                 TextWriter? warnings = null, string? targetName = null)
    {
        (string name, string[] header, List<string[]> rows, List<int> lines) = ReadAll(path, stdin);
        int[] map = MatchColumns(name, header, columns, targetName, warnings);
        string[][] cells = [.. rows.Select(r => map.Select(j => r[j]).ToArray())];
        return (name, new RawTable([.. columns], [.. map.Select(j => j + 1)], cells, [.. lines]));
    }

    /// <summary>The raw features of <paramref name="table"/> in the order of <paramref name="columns"/> (a schema's columns).</summary>
    public static RawTable SelectRaw(TabularData table, IReadOnlyList<string> columns)
    {
        RawTable raw = table.Raw ?? throw new InvalidOperationException("the table was not loaded raw");
        int[] map = [.. columns.Select(n => Array.IndexOf(raw.Columns, n))];
        if (map.Any(i => i < 0))
        {
            string[] missing = [.. columns.Where(n => !raw.Columns.Contains(n))];
            string[] unknown = [.. raw.Columns.Where(n => !columns.Contains(n))];
            throw new CliException($"{table.Source}: line 1: the columns do not match the model's features: missing {Abbreviate(missing)}" +
                                   (unknown.Length > 0 ? $"; unknown {Abbreviate(unknown)}" : "") + ". Name the columns as in training (order does not matter).");
        }
        return new RawTable([.. columns], [.. map.Select(j => raw.ColumnNumbers[j])], [.. raw.Rows.Select(r => map.Select(j => r[j]).ToArray())], raw.Lines);
    }

    /// <summary>
    /// Reads features for prediction. Columns are matched by name: every feature of the model must be in the header
    /// (extra columns, such as the target, are ignored). Only when no header name is a feature name are the columns
    /// taken by position (the count must match, and <paramref name="warnings"/> is told); a partial match is an error
    /// naming the missing and the unknown columns, never a silent reordering.
    /// </summary>
    public static (float[] Features, int Rows) LoadFeatures(string path, IReadOnlyList<string> featureNames, TextReader? stdin = null,
                                                            TextWriter? warnings = null, string? targetName = null)
    {
        (string name, string[] header, List<string[]> rows, List<int> lines) = ReadAll(path, stdin);
        int[] map = MatchColumns(name, header, featureNames, targetName, warnings);
        var features = new float[rows.Count * map.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int j = 0; j < map.Length; j++)
            {
                features[r * map.Length + j] = ParseNumber(name, rows[r][map[j]], lines[r], map[j], header[map[j]]);
            }
        }
        return (features, rows.Count);
    }

    /// <summary>The features of <paramref name="table"/> in the order of <paramref name="names"/> (the model's inputs).</summary>
    public static (float[] Features, int Rows) LoadFeaturesFrom(TabularData table, IReadOnlyList<string> names)
    {
        int width = table.FeatureNames.Length, rows = table.Dataset.Rows;
        int[] map = [.. names.Select(n => Array.IndexOf(table.FeatureNames, n))];
        if (map.Any(i => i < 0))
        {
            string[] missing = [.. names.Where(n => !table.FeatureNames.Contains(n))];
            string[] unknown = [.. table.FeatureNames.Where(n => !names.Contains(n))];
            throw new CliException($"{table.Source}: line 1: the columns do not match the model's features: missing {Abbreviate(missing)}" +
                                   (unknown.Length > 0 ? $"; unknown {Abbreviate(unknown)}" : "") + ". Name the columns as in training (order does not matter).");
        }
        ReadOnlySpan<float> source = table.Dataset.Features.Span;
        var features = new float[rows * names.Count];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < map.Length; j++)
            {
                features[r * map.Length + j] = source[r * width + map[j]];
            }
        }
        return (features, rows);
    }

    private static int[] MatchColumns(string name, string[] header, IReadOnlyList<string> featureNames, string? targetName, TextWriter? warnings)
    {
        string[] missing = [.. featureNames.Where(f => !header.Contains(f))];
        if (missing.Length == 0)
        {
            return [.. featureNames.Select(f => Array.IndexOf(header, f))];
        }
        string[] targets = targetName is null ? [] : header.Contains(targetName) ? [targetName] : targetName.Split(',');
        string[] unknown = [.. header.Where(h => !featureNames.Contains(h) && !targets.Contains(h))];
        if (missing.Length < featureNames.Count)
        {
            throw new CliException($"{name}: line 1: the columns do not match the model's features: missing {Abbreviate(missing)}" +
                                   (unknown.Length > 0 ? $"; unknown {Abbreviate(unknown)}" : "") + ". Name the columns as in training (order does not matter).");
        }
        if (header.Length != featureNames.Count)
        {
            throw new CliException($"{name}: line 1: expected {featureNames.Count} feature columns ({Abbreviate(featureNames)}), but the file has {header.Length} columns and none is named as a feature of the model.");
        }
        warnings?.WriteLine($"warning: {name}: no column is named as a feature of the model ({Abbreviate(featureNames)}); using the {header.Length} columns by position.");
        return [.. Enumerable.Range(0, header.Length)];
    }

    private static (string Name, string[] Header, List<string[]> Rows, List<int> Lines) ReadAll(string path, TextReader? stdin)
    {
        string name = path == "-" ? "<stdin>" : path;
        string text;
        if (path == "-")
        {
            text = (stdin ?? Console.In).ReadToEnd();
        }
        else
        {
            if (!File.Exists(path))
            {
                throw new CliException(Directory.Exists(path) ? $"--data: {path}: is a directory, not a CSV file." : $"--data: {path}: file not found.");
            }
            text = File.ReadAllText(path);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CliException($"{name}: the file is empty (expected a header line and data rows).");
        }
        // Header names are checked first, from the header line alone: the CSV reader itself refuses duplicate
        // names with a message that names neither the file nor the line.
        string[] header;
        using (SepReader headerReader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All }).FromText(text))
        {
            header = [];
            if (headerReader.MoveNext())
            {
                SepReader.Row first = headerReader.Current;
                header = new string[first.ColCount];
                for (int c = 0; c < header.Length; c++)
                {
                    header[c] = first[c].ToString();
                }
            }
        }
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
            {
                throw new CliException($"{name}: line 1, column {c + 1}: the header has an empty column name.");
            }
            int first = Array.IndexOf(header, header[c]);
            if (first != c)
            {
                throw new CliException($"{name}: line 1, columns {first + 1} and {c + 1}: the column name '{header[c]}' appears twice; column names must be unique.");
            }
        }
        using SepReader reader = Sep.Reader(o => o with { HasHeader = true, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All })
                                    .FromText(text);
        if (header.All(h => double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new CliException($"{name}: line 1: no header; the first line must name the columns, but it holds only numbers.");
        }
        var rows = new List<string[]>();
        var lines = new List<int>();
        foreach (SepReader.Row row in reader)
        {
            if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty)
            {
                continue; // blank line
            }
            if (row.ColCount != header.Length)
            {
                throw new CliException($"{name}: line {row.LineNumberFrom}: expected {header.Length} columns as in the header, but the row has {row.ColCount}.");
            }
            var cells = new string[row.ColCount];
            for (int c = 0; c < cells.Length; c++)
            {
                cells[c] = row[c].ToString();
            }
            rows.Add(cells);
            lines.Add(row.LineNumberFrom);
        }
        if (rows.Count == 0)
        {
            throw new CliException($"{name}: the file has a header but no data rows.");
        }
        return (name, header, rows, lines);
    }

    private static float[] ParseFeatures(string name, string[] header, List<string[]> rows, List<int> lines, int[] skip)
    {
        int width = header.Length - skip.Length;
        var features = new float[rows.Count * width];
        for (int r = 0; r < rows.Count; r++)
        {
            string[] cells = rows[r];
            for (int c = 0, j = 0; c < cells.Length; c++)
            {
                if (!skip.Contains(c))
                {
                    features[r * width + j++] = ParseNumber(name, cells[c], lines[r], c, header[c]);
                }
            }
        }
        return features;
    }

    private static float ParseNumber(string name, string cell, int line, int column, string columnName)
    {
        string where = $"{name}: line {line}, column {column + 1} ('{columnName}')";
        if (cell.Length == 0)
        {
            throw new CliException($"{where}: the value is empty; expected a number.");
        }
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new CliException($"{where}: '{cell}' is not a number.");
        }
        if (!double.IsFinite(value))
        {
            throw new CliException($"{where}: '{cell}' is not a finite number (NaN and infinities are not allowed).");
        }
        if (!float.IsFinite((float)value))
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{where}: '{cell}' is out of float range (the largest magnitude is {float.MaxValue:G9}); rescale the column."));
        }
        return (float)value;
    }

    private static string[] OrderClasses(IEnumerable<string> values, bool numeric)
    {
        if (numeric)
        {
            return [.. values.Select(v => Canonical(v, true)).Distinct()
                             .OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture))];
        }
        return [.. values.OrderBy(v => v, StringComparer.Ordinal)];
    }

    /// <summary>Numeric class labels "1", "1.0" and "01" are the same class, named "1".</summary>
    private static string Canonical(string value, bool numeric) =>
        numeric && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v.ToString("R", CultureInfo.InvariantCulture)
            : value;

    private static string Abbreviate(IReadOnlyList<string> names) =>
        names.Count <= 6 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(5))}, … {names[^1]}";
}
