using System.Diagnostics;

namespace FastMlp.Cli.Tests;

/// <summary>A real fastmlp process killed with SIGKILL mid-training, then resumed, ends bit-identical to an uninterrupted run.</summary>
public sealed class KillAndResumeTests
{
    [Fact]
    public void SigkilledTrainingResumesToTheSameModel()
    {
        using TempFolder temp = CliRunner.Temp();
        string full = Path.Combine(temp.Path, "full"), killed = Path.Combine(temp.Path, "killed");
        string[] common = ["train", "--dataset", "mnist", "--epochs", "12", "--patience", "0", "--threads", "1", "--quiet"];

        CliResult uninterrupted = CliRunner.Run([.. common, "--out", full]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);

        string checkpoint = Path.Combine(killed, "checkpoint", "checkpoint.safetensors");
        string cli = Path.Combine(AppContext.BaseDirectory, "FastMlp.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[cli, .. common, "--checkpoint-every", "1", "--out", killed])
        {
            start.ArgumentList.Add(a);
        }
        using (Process process = Process.Start(start)!)
        {
            // Kill it as soon as a checkpoint exists and the process is still training.
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(5);
            }
            Assert.False(process.HasExited, "training finished before it could be killed; make the run longer");
            process.Kill(); // SIGKILL on Unix: no cleanup, no flush
            process.WaitForExit();
        }
        Assert.True(File.Exists(checkpoint));
        Assert.False(File.Exists(Path.Combine(killed, "model.fastmlp")), "the killed run must not have finished");

        CliResult resumed = CliRunner.Run("train", "--resume", Path.Combine(killed, "checkpoint"), "--quiet");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.True(File.ReadAllBytes(Path.Combine(full, "model.fastmlp")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(killed, "model.fastmlp"))),
                    "the resumed model differs from the uninterrupted one");
        Assert.Equal(CliRunner.WithoutTiming(uninterrupted.Output), CliRunner.WithoutTiming(resumed.Output));
    }
}
