namespace FastMlp.Cli.Tests;

/// <summary>Runs fastmlp in-process and captures its output, error and exit code.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);

internal static class CliRunner
{
    public static CliResult Run(params string[] args) => RunWithInput(null, args);

    public static CliResult RunWithInput(string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error, stdin is null ? null : new StringReader(stdin));
        return new CliResult(code, output.ToString(), error.ToString());
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
