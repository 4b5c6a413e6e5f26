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

/// <summary>
/// The CLI's only way to write and read model files. <see cref="InterimModelStore"/> is a stand-in until the
/// library's <c>Mlp&lt;T&gt;.Save/Load</c> (safetensors) lands; swap the implementation in <see cref="ModelStore.Default"/>.
/// </summary>
internal interface IModelStore
{
    void Save(string path, Mlp<float> network, ModelMetadata metadata);

    /// <summary>Throws <see cref="CliException"/> naming the file when it is missing or not a FastMlp model.</summary>
    (Mlp<float> Network, ModelMetadata Metadata) Load(string path);
}

internal static class ModelStore
{
    /// <summary>The store every command uses. MERGE POINT: replace with a store built on Mlp&lt;float&gt;.Save/Load.</summary>
    public static IModelStore Default { get; } = new InterimModelStore();

    /// <summary>The model file name inside a training output folder.</summary>
    public const string FileName = "model.fastmlp";
}
