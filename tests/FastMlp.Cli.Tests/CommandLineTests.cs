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
    public void The_memory_check_uses_the_library_estimate()
    {
        long needed = Training.MemoryBudget.TrainingBytes([2, 3, 1], 4);
        Assert.Equal(Trainer<float>.EstimateMemoryBytes([2, 3, 1], new TrainerOptions<float> { Optimizer = Optimizer.Adam(), BatchSize = 4 }), needed);
        var e = Assert.Throws<CliException>(() => Training.MemoryBudget.Check([2, 3, 1], 4, available: needed - 1));
        Assert.Contains("--layers: training 2-3-1 needs about", e.Message);
        Training.MemoryBudget.Check([2, 3, 1], 4, available: needed);
    }

    [Fact]
    public void Gradcheck_samples_parameters_of_a_large_network_and_checks_all_on_request()
    {
        CliResult sampled = CliRunner.Run("gradcheck", "--layers", "300,300,10", "--json");
        Assert.True(sampled.ExitCode == 0, sampled.Error);
        using var json = System.Text.Json.JsonDocument.Parse(sampled.Output);
        int[] checkedPerLayer = [.. json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("parametersChecked").GetInt32())];
        Assert.Equal(2, checkedPerLayer.Length);
        Assert.All(checkedPerLayer, c => Assert.InRange(c, 20, 80));

        CliResult all = CliRunner.Run("gradcheck", "--layers", "4,5,3", "--all", "--json");
        Assert.True(all.ExitCode == 0, all.Error);
        using var allJson = System.Text.Json.JsonDocument.Parse(all.Output);
        int total = allJson.RootElement.GetProperty("parametersChecked").GetInt32() + allJson.RootElement.GetProperty("parametersSkipped").GetInt32();
        Assert.Equal(4 * 5 + 5 + 5 * 3 + 3, total);
    }

    [Fact]
    public void A_cancelled_gradient_check_exits_130()
    {
        CliResult r = CliRunner.RunCancelled("gradcheck", "--layers", "20,20,3", "--all");
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("cancelled", r.Error);
    }

    [Fact]
    public void Resume_extends_refuses_fewer_epochs_and_refuses_changed_data()
    {
        using TempFolder temp = CliRunner.Temp();
        var rows = new System.Text.StringBuilder("a,b,y\n");
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble();
            rows.Append(FormattableString.Invariant($"{a},{b},{(a + b > 1 ? 1 : 0)}\n"));
        }
        string csv = temp.File("data.csv", rows.ToString());
        string run = Path.Combine(temp.Path, "run"), checkpoint = Path.Combine(run, "checkpoint");
        Assert.Equal(0, CliRunner.Run("train", "--data", csv, "--epochs", "3", "--patience", "0", "--checkpoint-every", "1", "--out", run, "--quiet").ExitCode);

        CliResult extended = CliRunner.Run("train", "--resume", checkpoint, "--epochs", "5", "--quiet");
        Assert.True(extended.ExitCode == 0, extended.Error);
        Assert.Contains("(5 epochs", extended.Output);

        CliResult fewer = CliRunner.Run("train", "--resume", checkpoint, "--epochs", "2", "--quiet");
        Assert.Equal(1, fewer.ExitCode);
        Assert.StartsWith("error: --epochs: ", fewer.Error);
        Assert.DoesNotContain("(Parameter", fewer.Error);

        File.WriteAllText(csv, rows.ToString().Replace("\n0.", "\n0.5", StringComparison.Ordinal));
        CliResult changed = CliRunner.Run("train", "--resume", checkpoint, "--epochs", "8", "--quiet");
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("--resume", changed.Error);
        Assert.Contains("differs from the checkpoint", changed.Error);
        Assert.Contains("data.csv changed since the checkpoint", changed.Error);
    }

    [Fact]
    public void A_library_model_without_a_table_description_gets_default_names_and_a_clear_evaluate_error()
    {
        using TempFolder temp = CliRunner.Temp();
        string path = Path.Combine(temp.Path, "plain.fastmlp");
        new Mlp<float>([2, 3, 1], Activation.Tanh, Activation.Identity, 1).Save(path);
        CliResult predicted = CliRunner.Run("predict", "--model", path, "--data", temp.File("in.csv", "x1,x2\n1,2\n"));
        Assert.True(predicted.ExitCode == 0, predicted.Error);
        Assert.StartsWith("target\n", predicted.Output.ReplaceLineEndings("\n"));
        CliResult evaluated = CliRunner.Run("evaluate", "--model", path, "--data", temp.File("e.csv", "x1,x2,target\n1,2,3\n"));
        Assert.Equal(1, evaluated.ExitCode);
        Assert.Contains("records no loss", evaluated.Error);
    }
}
