using System.Globalization;

namespace FastMlp.Cli.Data;

/// <summary>
/// Applies a <see cref="TabularSchema"/> to a CSV read as text: checks cells before the split, fits the schema on the
/// training part only and encodes every part with it, and turns the library's <see cref="TabularDataException"/> into
/// one line naming the file, line and column.
/// </summary>
internal static class TabularEncoding
{
    /// <summary>
    /// Checks, before any split, what is wrong whatever part a row lands in: the columns named by --categorical and
    /// --numeric exist, no cell is an infinite or NaN number, no number is beyond float range, and --numeric columns
    /// hold only numbers or missing tokens. Nothing is learnt from the values here.
    /// </summary>
    public static void CheckCells(TabularData table, TabularSchemaOptions options)
    {
        RawTable raw = table.Raw!;
        CheckNames(table, raw, options.CategoricalColumns, "--categorical");
        CheckNames(table, raw, options.NumericColumns, "--numeric");
        var missing = new HashSet<string>(options.MissingTokens.Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
        for (int c = 0; c < raw.Columns.Length; c++)
        {
            bool numericOnly = options.NumericColumns.Contains(raw.Columns[c]);
            // A column with text is categorical (unless --numeric): its cells are categories, whatever they look like.
            bool categorical = options.CategoricalColumns.Contains(raw.Columns[c])
                || (!numericOnly && raw.Rows.Any(row => !missing.Contains(row[c].Trim()) && !double.TryParse(row[c].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
            for (int r = 0; r < raw.Rows.Length; r++)
            {
                string cell = raw.Rows[r][c].Trim();
                if (missing.Contains(cell) || categorical)
                {
                    continue;
                }
                string where = $"{table.Source}: line {raw.Lines[r]}, column {raw.ColumnNumbers[c]} ('{raw.Columns[c]}')";
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new CliException($"{where}: '{cell}' is not a number (the column was declared with --numeric).");
                }
                if (!double.IsFinite(value))
                {
                    throw new CliException($"{where}: '{cell}' is not a finite number (NaN and infinities are not allowed; for a missing value use a --missing token).");
                }
                if (!float.IsFinite((float)value))
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: '{cell}' is out of float range (the largest magnitude is {float.MaxValue:G9}); rescale the column."));
                }
            }
        }
    }

    private static void CheckNames(TabularData table, RawTable raw, IReadOnlyCollection<string> names, string option)
    {
        foreach (string name in names)
        {
            if (name == table.TargetName)
            {
                throw new CliException($"{option}: '{name}' is the target column; it names feature columns only.");
            }
            if (!raw.Columns.Contains(name))
            {
                throw new CliException($"{option}: {table.Source} has no column named '{name}'; the feature columns are: {string.Join(", ", raw.Columns)}.");
            }
        }
    }

    /// <summary>
    /// Fits the schema on the rows of <paramref name="train"/> (a part of the row-index dataset) only, and of those
    /// only on the rows that weigh something: a row of sample weight 0 adds no category and moves no imputed value.
    /// </summary>
    public static TabularSchema Fit(TabularData table, Dataset<float> train, TabularSchemaOptions options)
    {
        RawTable raw = table.Raw!;
        int[] rows = RowIndices(train);
        if (train.HasSampleWeights)
        {
            float[] weights = train.SampleWeights.ToArray();
            int[] weighing = [.. rows.Where((_, i) => weights[i] > 0)];
            // Every training row of weight 0: fitted on all of them, and the trainer then refuses the weights.
            rows = weighing.Length > 0 ? weighing : rows;
        }
        try
        {
            return TabularSchema.Fit(raw.Columns, [.. rows.Select(r => raw.Rows[r])], options);
        }
        catch (TabularDataException e)
        {
            string where = e.Row is { } r ? $"line {raw.Lines[rows[r]]}, " : "";
            int column = Array.IndexOf(raw.Columns, e.Column);
            throw new CliException($"{table.Source}: {where}column {raw.ColumnNumbers[column]} ('{e.Column}'): {e.Reason}");
        }
    }

    /// <summary>
    /// Fits the schema on <c>parts[0]</c> (the training part) and encodes every part with it; returns the encoded
    /// parts and, per later part, a note on categories it has that the training part had not (the parts named by
    /// <paramref name="partNames"/>; default train, validation, test).
    /// </summary>
    public static (Dataset<float>[] Parts, TabularSchema Schema, string[] Notes) FitAndEncode(TabularData table, Dataset<float>[] parts, TabularSchemaOptions options,
                                                                                              string[]? partNames = null)
    {
        TabularSchema schema = Fit(table, parts[0], options);
        var encoded = new Dataset<float>[parts.Length];
        var notes = new List<string>();
        string[] names = partNames ?? ["train part", "validation part", "test part"];
        for (int p = 0; p < parts.Length; p++)
        {
            encoded[p] = Encode(table, schema, parts[p], out TabularBatch<float> batch);
            if (p > 0 && Unseen(batch) is { } unseen)
            {
                notes.Add($"{names[p]}: {unseen}");
            }
        }
        return (encoded, schema, [.. notes]);
    }

    /// <summary>A part of the row-index dataset with its rows encoded by <paramref name="schema"/>; labels or targets kept.</summary>
    public static Dataset<float> Encode(TabularData table, TabularSchema schema, Dataset<float> part, out TabularBatch<float> batch)
    {
        RawTable raw = table.Raw!;
        int[] rows = RowIndices(part);
        batch = Encode(table.Source, new RawTable(raw.Columns, raw.ColumnNumbers, [.. rows.Select(r => raw.Rows[r])], [.. rows.Select(r => raw.Lines[r])]), schema);
        Dataset<float> encoded = part.IsClassification
            ? Dataset<float>.ForClassification(batch.Features, part.Labels.Span, schema.FeatureCount, part.ClassCount, part.ClassNames)
            : Dataset<float>.ForRegression(batch.Features, part.Targets.Span, schema.FeatureCount, part.TargetCount);
        return part.HasSampleWeights ? encoded.WithSampleWeights(part.SampleWeights.Span) : encoded;
    }

    /// <summary>Encodes rows whose columns are in the schema's order; errors name the file, line and column.</summary>
    public static TabularBatch<float> Encode(string source, RawTable raw, TabularSchema schema)
    {
        try
        {
            return schema.Encode<float>(raw.Rows);
        }
        catch (TabularDataException e)
        {
            int column = Array.IndexOf(raw.Columns, e.Column);
            throw new CliException($"{source}: line {raw.Lines[e.Row ?? 0]}, column {raw.ColumnNumbers[column]} ('{e.Column}'): {e.Reason}");
        }
    }

    /// <summary>
    /// The features of a table loaded raw, encoded by a trained model's schema (columns matched by name); unseen
    /// categories are reported on <paramref name="warnings"/>.
    /// </summary>
    public static (float[] Features, int Rows) EncodeForModel(TabularData table, TabularSchema schema, TextWriter warnings)
    {
        TabularBatch<float> batch = Encode(table.Source, CsvDataset.SelectRaw(table, schema.ColumnNames), schema);
        if (Unseen(batch) is { } unseen)
        {
            warnings.WriteLine($"warning: {table.Source}: {unseen}.");
        }
        return (batch.Features, batch.Rows);
    }

    /// <summary>"N cells hold categories not seen in training (job: 2, city: 1)", or null when there are none.</summary>
    public static string? Unseen(TabularBatch<float> batch) =>
        batch.UnseenCount == 0 ? null
            : $"{batch.UnseenCount} {(batch.UnseenCount == 1 ? "cell holds a category" : "cells hold categories")} not seen in training " +
              $"({string.Join(", ", batch.UnseenByColumn.Select(kv => $"{kv.Key}: {kv.Value}"))}); encoded as all zeros";

    /// <summary>One line describing the schema: column kinds, imputation and the encoded width.</summary>
    public static string Describe(TabularSchema schema)
    {
        int numeric = schema.Columns.Count(c => c.Kind == ColumnKind.Numeric);
        int categorical = schema.Columns.Count - numeric;
        int indicators = schema.Columns.Count(c => c.HasMissingIndicator);
        string categories = categorical == 0 ? "" : $", {categorical} categorical ({string.Join(", ", schema.Columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => $"{c.Name}: {c.Categories.Count}{(c.HasOtherCategory ? "+other" : "")}{(c.HasMissingCategory ? "+missing" : "")}"))})";
        return $"{numeric} numeric (missing → {schema.Imputation.ToString().ToLowerInvariant()}{(indicators > 0 ? $", {indicators} missing indicator{(indicators == 1 ? "" : "s")}" : "")}){categories} → {schema.FeatureCount} features";
    }

    private static int[] RowIndices(Dataset<float> part)
    {
        ReadOnlySpan<float> index = part.Features.Span;
        var rows = new int[part.Rows];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = (int)index[r];
        }
        return rows;
    }
}
