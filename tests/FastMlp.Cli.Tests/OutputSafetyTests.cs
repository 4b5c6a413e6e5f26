namespace FastMlp.Cli.Tests;

/// <summary>
/// Every command that writes files × {diverged, an output that cannot be written, cancelled}: the files of an
/// earlier run are byte-identical afterwards and no temporary file is left behind.
/// </summary>
public sealed class OutputSafetyTests
{
    /// <summary>A writing command: its arguments (given the output folder) and the files it writes there.</summary>
    private sealed record Writer(string[] Arguments, string[] Files, string[]? DivergingArguments);

    private static Writer For(string command, string folder) => command switch
    {
        "train" => new(["train", "--dataset", "digits", "--epochs", "2", "--out", folder], ["model.fastmlp", "history.csv", "loss.png", "confusion.png"],
                       ["--lr", "1e308"]),
        "demo linear" => new(["demo", "linear", "--epochs", "5", "--out", folder], ["demo-linear.png", "demo-linear-cost.png", "demo-linear-surface.png"], ["--lr", "1e308"]),
        "lr-sweep" => new(["lr-sweep", "--epochs", "1", "--rates", "0.01", "--out", folder], ["lr-sweep.png"], null),
        "lr-find" => new(["lr-find", "--dataset", "digits", "--steps", "5", "--out", folder], ["lr-find.png"], null),
        "predict" => new(["predict", "--model", CliRunner.DigitsModel, "--data", DigitsCsv(folder), "--out", Path.Combine(folder, "predictions.csv")],
                         ["predictions.csv"], null),
        "quantize" => new(["quantize", "--model", CliRunner.DigitsModel, "--dataset", "digits", "--out", Path.Combine(folder, "int8.fastmlp")], ["int8.fastmlp"], null),
        "importance" => new(["importance", "--model", CliRunner.DigitsModel, "--data", DigitsCsv(folder, target: true), "--repeats", "1",
                             "--out", Path.Combine(folder, "importance.png")], ["importance.png"], null),
        "export" => new(["export", "--model", CliRunner.DigitsModel, "--onnx", Path.Combine(folder, "model.onnx")], ["model.onnx"], null),
        "import" => new(["import", "--safetensors", StateDict(folder), "--activation", "relu", "--output", "softmax", "--out", Path.Combine(folder, "m.fastmlp")],
                        ["m.fastmlp"], null),
        _ => throw new ArgumentException(command),
    };

    public static TheoryData<string> Commands() => ["train", "demo linear", "lr-sweep", "lr-find", "predict", "export", "quantize", "importance", "import"];

    private static string DigitsCsv(string folder, bool target = false)
    {
        string path = Path.Combine(Path.GetDirectoryName(folder)!, "input-" + Path.GetFileName(folder) + ".csv");
        File.WriteAllText(path, CliRunner.DigitsCsv(4, target));
        return path;
    }

    private static string StateDict(string folder) =>
        CliRunner.TorchStateDict(Path.Combine(Path.GetDirectoryName(folder)!, "state-" + Path.GetFileName(folder) + ".safetensors"));

    /// <summary>Fills the output folder with recognisable earlier outputs and returns their bytes.</summary>
    private static Dictionary<string, byte[]> Earlier(string folder, Writer writer)
    {
        Directory.CreateDirectory(folder);
        var earlier = new Dictionary<string, byte[]>();
        foreach (string file in writer.Files)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes($"earlier {file}");
            File.WriteAllBytes(Path.Combine(folder, file), bytes);
            earlier[file] = bytes;
        }
        return earlier;
    }

    private static void AssertUnchanged(string folder, Dictionary<string, byte[]> earlier)
    {
        foreach ((string file, byte[] bytes) in earlier)
        {
            string path = Path.Combine(folder, file);
            if (File.Exists(path))
            {
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{file} was changed");
            }
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        Assert.Empty(Directory.GetFiles(folder, ".*"));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_successful_run_replaces_every_output(string command)
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "out");
        Writer writer = For(command, folder);
        Dictionary<string, byte[]> earlier = Earlier(folder, writer);
        CliResult r = CliRunner.Run([.. writer.Arguments, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Error);
        foreach ((string file, byte[] bytes) in earlier)
        {
            Assert.False(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, file))), $"{file} was not written");
        }
        Assert.Empty(Directory.GetFiles(folder, ".*"));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_cancelled_run_changes_nothing(string command)
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "out");
        Writer writer = For(command, folder);
        Dictionary<string, byte[]> earlier = Earlier(folder, writer);
        CliResult r = CliRunner.RunCancelled([.. writer.Arguments, "--quiet"]);
        Assert.True(r.ExitCode == 130, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains("cancelled", r.Error);
        Assert.Contains("nothing was written", r.Error);
        AssertUnchanged(folder, earlier);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void An_output_that_cannot_be_written_fails_before_anything_is_replaced(string command)
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "out");
        Writer writer = For(command, folder);
        Dictionary<string, byte[]> earlier = Earlier(folder, writer);
        // The last output is a folder: the run must fail up front, leaving the others as they were.
        string blocked = writer.Files[^1];
        File.Delete(Path.Combine(folder, blocked));
        Directory.CreateDirectory(Path.Combine(folder, blocked));
        earlier.Remove(blocked);
        CliResult r = CliRunner.Run([.. writer.Arguments, "--quiet"]);
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains(blocked, r.Error);
        Assert.Contains("is a folder", r.Error);
        Assert.Contains(command == "export" ? "--onnx" : "--out", r.Error);
        Assert.True(Directory.Exists(Path.Combine(folder, blocked)));
        AssertUnchanged(folder, earlier);
    }

    public static TheoryData<string> DivergingCommands() => ["train", "demo linear"];

    [Theory]
    [MemberData(nameof(DivergingCommands))]
    public void A_diverged_run_changes_nothing_and_says_so_even_when_quiet(string command)
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "out");
        Writer writer = For(command, folder);
        Dictionary<string, byte[]> earlier = Earlier(folder, writer);
        CliResult r = CliRunner.Run([.. writer.Arguments, .. writer.DivergingArguments!, "--quiet"]);
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains("diverged", r.Error);
        Assert.Contains("Nothing was written", r.Error);
        AssertUnchanged(folder, earlier);
        Assert.Equal(command == "train", File.Exists(Path.Combine(folder, "loss.diverged.png")));
    }

    [Fact]
    public void A_real_model_survives_a_diverged_retrain_into_the_same_folder()
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "good");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "digits", "--out", folder, "--quiet").ExitCode);
        byte[] good = File.ReadAllBytes(Path.Combine(folder, "model.fastmlp"));
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--out", folder, "--lr", "1e308", "--json");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains(folder, r.Error);
        Assert.Equal(good, File.ReadAllBytes(Path.Combine(folder, "model.fastmlp")));
    }

    [Fact]
    public void Save_on_cancel_writes_the_best_model_so_far()
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "out");
        CliResult r = CliRunner.RunCancelled("train", "--dataset", "digits", "--out", folder, "--save-on-cancel", "--quiet");
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("saved the best model so far", r.Error);
        Assert.True(File.Exists(Path.Combine(folder, "model.fastmlp")));
        Assert.Empty(Directory.GetFiles(folder, ".*"));
    }

    [Fact]
    public void An_onnx_export_through_a_symbolic_link_replaces_the_target_and_keeps_the_link()
    {
        using TempFolder temp = CliRunner.Temp();
        string target = temp.File("real.onnx", "old"), link = Path.Combine(temp.Path, "link.onnx");
        File.CreateSymbolicLink(link, target);
        CliResult r = CliRunner.Run("export", "--model", CliRunner.DigitsModel, "--onnx", link, "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.True(new FileInfo(target).Length > 1000);
    }

    [Fact]
    public void A_device_is_refused_as_an_output()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        CliResult r = CliRunner.Run("export", "--model", CliRunner.DigitsModel, "--onnx", "/dev/null", "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--onnx: /dev/null: is a device", r.Error);
    }
}
