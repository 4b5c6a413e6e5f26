using System.Diagnostics;
using FastMlp.Tests.Training;

namespace FastMlp.Tests;

/// <summary>
/// Runs a scenario of this test assembly in a separate process (<c>dotnet exec FastMlp.Tests.dll scenario …</c>):
/// a scenario that corrupts native memory then kills only that process (glibc abort, SIGSEGV), and the test
/// sees a non-zero exit instead of losing the whole test run. The entry point is <see cref="Program.Main"/>.
/// </summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(TimeSpan timeout, params string[] args)
    {
        string assembly = typeof(ChildProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(-1, output.Result, $"timed out after {timeout.TotalSeconds} s. {error.Result}");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>The test assembly's own entry point (the test host does not use it), for <see cref="ChildProcess"/>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && int.TryParse(args[1], out int repeats))
        {
            switch (args[0])
            {
                case "dispose-during-fit":
                    return DisposeScenarios.DisposeDuringFit(repeats);
                case "dispose-during-predict":
                    return DisposeScenarios.DisposeDuringPredict(repeats);
                case "dispose-during-packed-multiply":
                    return DisposeScenarios.DisposeDuringPackedMultiply(repeats);
            }
        }
        Console.Error.WriteLine("usage: FastMlp.Tests.dll dispose-during-fit|dispose-during-predict|dispose-during-packed-multiply <repeats>");
        return 2;
    }
}
