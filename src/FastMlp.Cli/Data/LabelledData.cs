namespace FastMlp.Cli.Data;

/// <summary>A labelled CSV read for a trained model (evaluate, importance): its target column and its features in the model's order.</summary>
internal static class LabelledData
{
    /// <summary>
    /// Reads <paramref name="path"/> ('-': standard input) with the target <paramref name="target"/> (default: the
    /// model's); classes are matched to the model's class names. Returns the dataset and the file's display name.
    /// </summary>
    public static (Dataset<float> Data, string Source) Load(CliContext cli, string path, string? target, Mlp<float> network)
    {
        string[] featureNames = ModelFiles.FeatureNamesOf(network), classNames = ModelFiles.ClassNamesOf(network);
        bool classification = classNames.Length > 0;
        TabularData table = CsvDataset.Load(path, target ?? ModelFiles.TargetNameOf(network),
            classification ? TaskKind.Classification : TaskKind.Regression, cli.Input, classification ? classNames : null, raw: network.Schema is not null);
        if (!classification && table.Dataset.TargetCount != network.OutputCount)
        {
            throw new CliException($"--target: {table.Source}: '{table.TargetName}' is {table.Dataset.TargetCount} target column{(table.Dataset.TargetCount == 1 ? "" : "s")}, " +
                                   $"but the model predicts {network.OutputCount} ({string.Join(", ", ModelFiles.OutputNamesOf(network))}).");
        }
        // Reorder the file's columns to the model's feature order (a schema encodes them as in training).
        (float[] features, _) = network.Schema is { } schema
            ? TabularEncoding.EncodeForModel(table, schema, cli.ErrorWriter)
            : CsvDataset.LoadFeaturesFrom(table, featureNames);
        Dataset<float> dataset = classification
            ? Dataset<float>.ForClassification(features, table.Dataset.Labels.Span, network.InputCount, classNames.Length, classNames)
            : Dataset<float>.ForRegression(features, table.Dataset.Targets.Span, network.InputCount, network.OutputCount);
        return (dataset, table.Source);
    }
}
