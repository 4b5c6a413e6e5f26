using System.Text.Json;
using Spectre.Console;

namespace FastMlp.Cli;

/// <summary>
/// Where a command writes: human-readable Spectre output, nothing but essentials (<c>--quiet</c>), or one JSON
/// document (<c>--json</c>) for scripts. Errors always go to <see cref="Error"/>.
/// </summary>
internal sealed class CliOutput
{
    public CliOutput(TextWriter output, TextWriter error, bool quiet, bool json)
    {
        Writer = output;
        Error = error;
        Quiet = quiet || json;
        Json = json;
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!terminal)
        {
            Console.Profile.Width = 160;
        }
    }

    public TextWriter Writer { get; }

    public TextWriter Error { get; }

    /// <summary>Only essential lines (also true with <c>--json</c>, where the JSON document is the output).</summary>
    public bool Quiet { get; }

    public bool Json { get; }

    public IAnsiConsole Console { get; }

    /// <summary>Whether a live progress bar can be drawn (a real terminal, not quiet).</summary>
    public bool CanShowProgress => !Quiet && Console.Profile.Capabilities.Interactive;

    /// <summary>A line for humans (suppressed by --quiet and --json).</summary>
    public void Line(string text = "")
    {
        if (!Quiet)
        {
            Writer.WriteLine(text);
        }
    }

    /// <summary>A line that --quiet keeps (suppressed only by --json).</summary>
    public void Essential(string text)
    {
        if (!Json)
        {
            Writer.WriteLine(text);
        }
    }

    public void Write(Spectre.Console.Rendering.IRenderable renderable)
    {
        if (!Quiet)
        {
            Console.Write(renderable);
        }
    }

    /// <summary>With --json, writes <paramref name="document"/> (a type registered in <see cref="CliJsonContext"/>) as the command's whole output.</summary>
    public void JsonResult(object document)
    {
        if (Json)
        {
            Writer.WriteLine(JsonSerializer.Serialize(document, CliJsonContext.Default.GetTypeInfo(document.GetType())
                ?? throw new InvalidOperationException($"{document.GetType().Name} is not registered in CliJsonContext.")));
        }
    }
}
