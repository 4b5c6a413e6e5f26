namespace FastMlp.Cli.Models;

/// <summary>What the CLI keeps with a trained network so that evaluate/predict can read raw CSV files.</summary>
internal sealed class ModelMetadata
{
    public required string[] FeatureNames { get; init; }
    public required string TargetName { get; init; }
    /// <summary>Class names by label; empty for regression.</summary>
    public required string[] ClassNames { get; init; }
    public required string Loss { get; init; }

    public bool IsClassification => ClassNames.Length > 0;
}

/// <summary>The CLI's only way to write and read model files (see <see cref="SafeTensorsModelStore"/>).</summary>
internal interface IModelStore
{
    void Save(Stream stream, Mlp<float> network, ModelMetadata metadata);

    /// <summary>Throws <see cref="CliException"/> naming the file when it is missing or not a FastMlp model.</summary>
    (Mlp<float> Network, ModelMetadata Metadata) Load(string path);
}

internal static class ModelStore
{
    /// <summary>The store every command uses.</summary>
    public static IModelStore Default { get; } = new SafeTensorsModelStore();

    /// <summary>The model file name inside a training output folder.</summary>
    public const string FileName = "model.fastmlp";
}
