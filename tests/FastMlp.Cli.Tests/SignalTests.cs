using System.Diagnostics;

namespace FastMlp.Cli.Tests;

/// <summary>SIGINT and SIGTERM during a real training process: exit 130, a message, the earlier model kept, no temporary files.</summary>
public sealed class SignalTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_stops_training_and_keeps_the_earlier_outputs(string signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // POSIX signals
        }
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(folder);
        string model = Path.Combine(folder, "model.fastmlp");
        File.WriteAllText(model, "earlier model");

        string cli = Path.Combine(AppContext.BaseDirectory, "FastMlp.Cli.dll");
        // A shell resets SIGINT to its default first: a test host started in the background inherits it ignored.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["-c", "trap - INT; exec dotnet \"$@\"", "sh", cli, "train", "--epochs", "100000", "--patience", "0", "--out", folder])
        {
            start.ArgumentList.Add(a);
        }
        using Process process = Process.Start(start)!;
        var stdout = new System.Text.StringBuilder();
        var started = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }
            if (e.Data?.StartsWith("Model:", StringComparison.Ordinal) == true)
            {
                started.Set();
            }
        };
        process.BeginOutputReadLine();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(started.Wait(TimeSpan.FromSeconds(60)), "training did not start: " + stdout);
        Thread.Sleep(500); // inside the epoch loop
        using (Process kill = Process.Start("kill", $"-{signal} {process.Id}"))
        {
            kill.WaitForExit();
        }
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the process did not stop after the signal");
        string error = await stderr;
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {error}");
        Assert.Contains($"SIG{signal}: stopping at the next batch", error);
        Assert.Contains("nothing was written", error);
        Assert.Equal("earlier model", File.ReadAllText(model));
        Assert.Equal([model], Directory.GetFiles(folder));
    }
}
