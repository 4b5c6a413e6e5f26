namespace FastMlp.Cli.Tests;

/// <summary>Runs fastmlp in-process and captures its output, error and exit code.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);

internal static class CliRunner
{
    public static CliResult Run(params string[] args) => RunWithInput(null, args);

    public static CliResult RunWithInput(string? stdin, params string[] args) => Run(stdin, default, args);

    /// <summary>Runs with a cancellation token, as SIGINT/SIGTERM signal it in the real process.</summary>
    public static CliResult RunCancelled(params string[] args) => Run(null, new CancellationToken(canceled: true), args);

    private static CliResult Run(string? stdin, CancellationToken cancellation, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error, stdin is null ? null : new StringReader(stdin), cancellation);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A model trained once on the embedded digits set (1 epoch), shared by tests that only read it.</summary>
    public static string DigitsModel => LazyDigitsModel.Value;

    private static readonly Lazy<string> LazyDigitsModel = new(() =>
    {
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastmlp-cli-tests-model-" + Environment.ProcessId);
        CliResult r = Run("train", "--dataset", "digits", "--epochs", "1", "--out", folder, "--quiet");
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException(r.Error);
        }
        return System.IO.Path.Combine(folder, "model.fastmlp");
    });

    /// <summary>
    /// Writes a PyTorch state dict of nn.Sequential(Linear(3, 2), ReLU(), Linear(2, 2)) to <paramref name="path"/>:
    /// weights exact in every dtype, so x = [3, 1, 2] gives logits [5, 2.25] with a ReLU hidden layer.
    /// </summary>
    public static string TorchStateDict(string path, string dtype = "F32") =>
        new FastMlp.TestFiles.TorchStateDictFile()
            .Linear(0, dtype, new double[,] { { 1, -2, 0.5 }, { 0.25, 1, -1 } }, [0.5, -0.25])
            .Linear(2, dtype, new double[,] { { 2, -1 }, { 0.5, 0.75 } }, [0, 1])
            .WriteTo(path);

    /// <summary>A CSV with the digits model's 64 feature columns and its target, <paramref name="rows"/> rows.</summary>
    public static string DigitsCsv(int rows = 3, bool target = true)
    {
        var text = new System.Text.StringBuilder(string.Join(',', Enumerable.Range(0, 64).Select(i => $"p{i}")));
        text.Append(target ? ",digit\n" : "\n");
        for (int r = 0; r < rows; r++)
        {
            text.Append(string.Join(',', Enumerable.Range(0, 64).Select(i => ((i * 7 + r * 3) % 17).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            text.Append(target ? $",{r % 10}\n" : "\n");
        }
        return text.ToString();
    }

    /// <summary>Output without the wall time that ends the result line (it differs from run to run).</summary>
    public static string WithoutTiming(string output) => System.Text.RegularExpressions.Regex.Replace(output.Trim(), @", [0-9.]+ s\)", ")");

    /// <summary>A fresh temporary folder, deleted when disposed.</summary>
    public static TempFolder Temp() => new();
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastmlp-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string? content = null)
    {
        string path = System.IO.Path.Combine(Path, name);
        if (content is not null)
        {
            System.IO.File.WriteAllText(path, content);
        }
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
