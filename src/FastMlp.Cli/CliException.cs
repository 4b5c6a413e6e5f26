namespace FastMlp.Cli;

/// <summary>A problem with the user's input (file, option, data): printed as one line, no stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Process exit codes of <c>fastmlp</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad data, bad file, bad option value.</summary>
    public const int BadInput = 1;
    /// <summary>The command line itself does not parse (unknown option, missing value).</summary>
    public const int Usage = 2;
    /// <summary>A check that the command performs failed (gradient check, divergence where not expected).</summary>
    public const int CheckFailed = 3;
    /// <summary>Stopped by SIGINT/SIGTERM (128 + 2, the shell's convention for Ctrl-C).</summary>
    public const int Cancelled = 130;
}

/// <summary>Library exceptions as one line for a user who typed options, not parameters.</summary>
internal static class ErrorText
{
    /// <summary>The message without .NET's " (Parameter 'x')" suffix, on one line.</summary>
    public static string WithoutParameter(ArgumentException e) =>
        (e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)).ReplaceLineEndings(" ");
}

/// <summary>The error a command raises when SIGINT/SIGTERM stopped it before it wrote anything.</summary>
internal static class Cancelled
{
    public static CliException NothingWritten(string where) =>
        new($"cancelled; nothing was written, existing files in {where} are unchanged.", ExitCodes.Cancelled);
}
