namespace FastMlp.Cli.Data;

/// <summary>
/// The CLI reads and writes the library's model files directly (<see cref="Mlp{T}.Load(string)"/>,
/// <see cref="Mlp{T}.Save(Stream)"/>); this only turns a bad file into a one-line error and gives the table
/// description the file carries (feature and target names, classes) its defaults for models saved without them.
/// </summary>
internal static class ModelFiles
{
    /// <summary>The model file name inside a training output folder.</summary>
    public const string FileName = "model.fastmlp";

    /// <summary>Loads a model file; throws <see cref="CliException"/> naming the file when it is missing or not a FastMlp model.</summary>
    public static Mlp<float> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--model: {path}: model file not found.");
        }
        try
        {
            return Mlp<float>.Load(path);
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
    }

    /// <summary>The model's feature names (x1, x2, … when the file has none).</summary>
    public static string[] FeatureNamesOf(Mlp<float> model) =>
        model.FeatureNames?.ToArray() ?? [.. Enumerable.Range(1, model.InputCount).Select(i => $"x{i}")];

    /// <summary>The model's target name ("target" when the file has none).</summary>
    public static string TargetNameOf(Mlp<float> model) => model.TargetName ?? "target";

    /// <summary>
    /// One name per output of a regression model: the comma-separated names of a multi-target model (trained with
    /// <c>--target a,b</c>), else the target name with _1, _2, … appended.
    /// </summary>
    public static string[] OutputNamesOf(Mlp<float> model)
    {
        string target = TargetNameOf(model);
        int outputs = model.OutputCount;
        if (outputs == 1)
        {
            return [target];
        }
        string[] parts = target.Split(',');
        return parts.Length == outputs && parts.All(p => p.Length > 0) ? parts : [.. Enumerable.Range(1, outputs).Select(k => $"{target}_{k}")];
    }

    /// <summary>Class names by label; empty for a regression model.</summary>
    public static string[] ClassNamesOf(Mlp<float> model) => model.ClassNames?.ToArray() ?? [];

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
