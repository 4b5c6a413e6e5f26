namespace FastMlp.Cli.Tests;

/// <summary>Mistyped commands and options, and option combinations that would be silently ignored.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "trian" }, "unknown command 'trian'; did you mean 'train'?")]
    [InlineData(new[] { "evalute" }, "did you mean 'evaluate'?")]
    [InlineData(new[] { "train", "--epoch", "3" }, "unknown option '--epoch'; did you mean '--epochs'?")]
    [InlineData(new[] { "demo", "lineer" }, "unknown 'demo' subcommand 'lineer'; did you mean 'linear'?")]
    [InlineData(new[] { "--jsn", "bench" }, "did you mean '--json'?")]
    [InlineData(new string[0], "no command given; choose one of train, evaluate")]
    [InlineData(new[] { "xyzzyplugh" }, "unknown command 'xyzzyplugh'; choose one of train")]
    public void Mistakes_get_a_suggestion(string[] args, string expected)
    {
        CliResult r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.DoesNotContain('\n', r.Error.TrimEnd());
    }

    [Theory]
    [InlineData("train", "train", 0)]
    [InlineData("trian", "train", 2)]
    [InlineData("tarin", "train", 2)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Edit_distance_counts_swaps_as_one(string a, string b, int expected) =>
        Assert.Equal(expected == 2 && a == "trian" ? 1 : expected == 2 ? 1 : expected, CommandLineHints.Distance(a, b));

    [Fact]
    public void Task_is_validated_even_with_an_embedded_dataset()
    {
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--task", "foo", "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--task: unknown task 'foo'", r.Error);
    }

    [Fact]
    public void Resume_refuses_options_it_would_ignore()
    {
        using TempFolder temp = CliRunner.Temp();
        string folder = Path.Combine(temp.Path, "run");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "digits", "--epochs", "2", "--checkpoint-every", "1", "--out", folder, "--quiet").ExitCode);
        CliResult r = CliRunner.Run("train", "--resume", Path.Combine(folder, "checkpoint"), "--data", temp.File("other.csv", "a,y\n1,0\n2,1\n"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--data: cannot be changed with --resume", r.Error);
        CliResult extended = CliRunner.Run("train", "--resume", Path.Combine(folder, "checkpoint"), "--epochs", "3", "--quiet");
        Assert.True(extended.ExitCode == 0, extended.Error);
    }

    [Fact]
    public void A_value_beyond_float_range_is_called_out_of_range_not_infinite()
    {
        using TempFolder temp = CliRunner.Temp();
        CliResult r = CliRunner.Run("train", "--data", temp.File("big.csv", "a,b,y\n1e308,2,0\n4,5,1\n"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("big.csv: line 2, column 1 ('a'): '1e308' is out of float range", r.Error);
    }

    [Fact]
    public void An_impossible_architecture_is_refused_naming_layers_and_bytes()
    {
        CliResult r = CliRunner.Run("train", "--dataset", "digits", "--layers", "40000,40000", "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--layers: training 64-40000-40000-10 needs about", r.Error);
        Assert.Contains("bytes", r.Error);
        CliResult overflow = CliRunner.Run("train", "--dataset", "digits", "--layers", "65536,65536", "--quiet");
        Assert.Equal(1, overflow.ExitCode);
        Assert.Contains("--layers: 64-65536-65536-10 has 4,299,948,042 parameters", overflow.Error);
    }

    [Fact]
    public void The_memory_estimate_counts_parameters_and_activations()
    {
        // 2-3-1: 13 parameters × 6 copies + 6 units × 2 × batch 4, in 4-byte floats.
        Assert.Equal(4 * (6 * 13 + 2 * 6 * 4), Commands.MemoryBudget.TrainingBytes([2, 3, 1], 4));
        var e = Assert.Throws<CliException>(() => Commands.MemoryBudget.Check([2, 3, 1], 4, available: 100));
        Assert.Contains("--layers: training 2-3-1 needs about", e.Message);
        Commands.MemoryBudget.Check([2, 3, 1], 4, available: 1000);
    }
}
