namespace FastMlp.Cli.Models;

/// <summary>
/// Model files in the library's safetensors format (<see cref="Mlp{T}.Save(string)"/>, atomic), with the
/// CLI's table description (feature names, target, classes, loss) carried in the model itself.
/// </summary>
internal sealed class SafeTensorsModelStore : IModelStore
{
    public void Save(Stream stream, Mlp<float> network, ModelMetadata metadata)
    {
        network.FeatureNames = metadata.FeatureNames;
        network.TargetName = metadata.TargetName;
        network.ClassNames = metadata.ClassNames.Length > 0 ? metadata.ClassNames : null;
        if (Enum.TryParse(metadata.Loss, out Loss loss))
        {
            network.Loss = loss;
        }
        network.Save(stream);
    }

    public (Mlp<float> Network, ModelMetadata Metadata) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--model: {path}: model file not found.");
        }
        Mlp<float> network;
        try
        {
            network = Mlp<float>.Load(path);
        }
        catch (ModelFormatException e)
        {
            // The library names the file and the problem; say plainly what it means for the user.
            string problem = OneLine(e.Message).TrimEnd('.');
            string prefix = path + ": ";
            throw new CliException($"{path}: not a FastMlp model file ({(problem.StartsWith(prefix, StringComparison.Ordinal) ? problem[prefix.Length..] : problem)}).");
        }
        catch (IOException e)
        {
            throw new CliException($"{path}: cannot read the model file ({OneLine(e.Message)}).");
        }
        var metadata = new ModelMetadata
        {
            FeatureNames = network.FeatureNames?.ToArray() ?? [.. Enumerable.Range(1, network.InputCount).Select(i => $"x{i}")],
            TargetName = network.TargetName ?? "target",
            ClassNames = network.ClassNames?.ToArray() ?? [],
            Loss = network.Loss?.ToString() ?? "",
        };
        return (network, metadata);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
