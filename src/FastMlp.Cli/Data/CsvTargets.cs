using System.Globalization;

namespace FastMlp.Cli.Data;

/// <summary>The columns of a CSV that are not features: several targets (multi-target regression) and a sample-weight column.</summary>
internal static partial class CsvDataset
{
    /// <summary>The --target columns: the whole text if a column has that name, otherwise its comma-separated names.</summary>
    private static string[] TargetColumns(string target, string[] header)
    {
        if (header.Contains(target) || !target.Contains(','))
        {
            return [target];
        }
        string[] names = [.. target.Split(',').Select(t => t.Trim())];
        string? repeated = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (names.Any(n => n.Length == 0) || repeated is not null)
        {
            throw new CliException($"--target: '{target}' {(repeated is null ? "has an empty column name" : $"names '{repeated}' twice")}; give distinct column names separated by commas.");
        }
        return names;
    }

    /// <summary>The --sample-weight column's index (-1: none); it must exist and not be a target.</summary>
    private static int WeightColumn(string name, string[] header, string? sampleWeight, string[] targetNames)
    {
        if (sampleWeight is null)
        {
            return -1;
        }
        int index = Array.IndexOf(header, sampleWeight);
        if (index < 0)
        {
            throw new CliException($"{name}: no column named '{sampleWeight}' for --sample-weight; the columns are: {string.Join(", ", header)}.");
        }
        if (targetNames.Contains(sampleWeight))
        {
            throw new CliException($"--sample-weight: '{sampleWeight}' is also the --target column of {name}; weigh the rows with another column.");
        }
        return index;
    }

    /// <summary>The feature columns (every column but <paramref name="skip"/>), parsed as numbers or kept as text (<paramref name="raw"/>).</summary>
    private static (string[] Names, float[] Features, int Count, RawTable? Raw) ReadFeatures(string name, string[] header, List<string[]> rows, List<int> lines, int[] skip, bool raw)
    {
        string[] featureNames = [.. header.Where((_, i) => !skip.Contains(i))];
        if (!raw)
        {
            return (featureNames, ParseFeatures(name, header, rows, lines, skip), featureNames.Length, null);
        }
        // Row indices stand in for the features: exact in float up to 2^24 rows.
        if (rows.Count > 1 << 24)
        {
            throw new CliException($"{name}: {rows.Count} rows; a table with text or missing cells is limited to {1 << 24} rows.");
        }
        float[] features = [.. Enumerable.Range(0, rows.Count).Select(i => (float)i)];
        var table = new RawTable(featureNames, [.. Enumerable.Range(1, header.Length).Where(i => !skip.Contains(i - 1))],
                                 [.. rows.Select(r => r.Where((_, i) => !skip.Contains(i)).ToArray())], [.. lines]);
        return (featureNames, features, 1, table);
    }

    /// <summary>Attaches the --sample-weight column's values: each a finite number ≥ 0, not all zero.</summary>
    private static Dataset<float> WithWeights(string name, Dataset<float> dataset, string[] header, List<string[]> rows, List<int> lines, int weightIndex)
    {
        if (weightIndex < 0)
        {
            return dataset;
        }
        var weights = new float[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            weights[r] = ParseNumber(name, rows[r][weightIndex].Trim(), lines[r], weightIndex, header[weightIndex]);
            if (weights[r] < 0)
            {
                throw new CliException($"{name}: line {lines[r]}, column {weightIndex + 1} ('{header[weightIndex]}'): the sample weight {rows[r][weightIndex].Trim()} is negative; weights must be ≥ 0.");
            }
        }
        if (weights.All(w => w == 0))
        {
            throw new CliException($"{name}: column {weightIndex + 1} ('{header[weightIndex]}'): every sample weight is 0; nothing would be learned.");
        }
        return dataset.WithSampleWeights(weights);
    }

    /// <summary>Several numeric --target columns: a regression with one output per target.</summary>
    private static TabularData LoadMultiTarget(string name, string[] header, List<string[]> rows, List<int> lines, string[] targetNames, int[] targetIndices,
                                               TaskKind task, bool raw, string? sampleWeight)
    {
        if (task == TaskKind.Classification)
        {
            throw new CliException($"--target: {targetNames.Length} columns ({string.Join(", ", targetNames)}) make a regression with {targetNames.Length} outputs; a classification has one target column.");
        }
        int weightIndex = WeightColumn(name, header, sampleWeight, targetNames);
        int[] skip = weightIndex < 0 ? targetIndices : [.. targetIndices, weightIndex];
        if (header.Length < skip.Length + 1)
        {
            throw new CliException($"{name}: needs at least one feature column besides the targets ({string.Join(", ", targetNames)}).");
        }
        (string[] featureNames, float[] features, int featureCount, RawTable? rawTable) = ReadFeatures(name, header, rows, lines, skip, raw);
        var y = new float[rows.Count * targetNames.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int t = 0; t < targetIndices.Length; t++)
            {
                string cell = rows[r][targetIndices[t]].Trim();
                if (cell.Length > 0 && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw new CliException($"{name}: line {lines[r]}, column {targetIndices[t] + 1} ('{targetNames[t]}'): '{cell}' is not a number; " +
                                           "several targets make a regression, so every target must be numeric (a classification has one target column).");
                }
                y[r * targetNames.Length + t] = ParseNumber(name, cell, lines[r], targetIndices[t], targetNames[t]);
            }
        }
        Dataset<float> dataset = Dataset<float>.ForRegression(features, y, featureCount, targetNames.Length);
        return new TabularData
        {
            Source = name,
            FeatureNames = featureNames,
            TargetName = string.Join(",", targetNames),
            TargetNames = targetNames,
            Dataset = WithWeights(name, dataset, header, rows, lines, weightIndex),
            Raw = rawTable,
            SampleWeightName = weightIndex < 0 ? null : sampleWeight,
        };
    }
}
