using System.CommandLine;

namespace FastMlp.Cli.Tests;

/// <summary>
/// Every option of every command, given an invalid value, fails with one line naming the option — generated from
/// the command definitions, so an option added later without a case here fails <see cref="Every_option_has_an_invalid_case"/>.
/// </summary>
public sealed class OptionValidationTests
{
    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), "fastmlp-cli-options-" + Environment.ProcessId);
    private static readonly string AFile = MakeFile();

    private static string MakeFile()
    {
        Directory.CreateDirectory(Scratch);
        string file = Path.Combine(Scratch, "a-file.txt");
        File.WriteAllText(file, "not a folder");
        return file;
    }

    /// <summary>Valid values that make each command run quickly, overridden by the option under test.</summary>
    private static Dictionary<string, string> BaseArguments(string command) => command switch
    {
        "train" => new() { ["--dataset"] = "digits", ["--epochs"] = "1", ["--out"] = Path.Combine(Scratch, "train") },
        "evaluate" => new() { ["--model"] = CliRunner.DigitsModel, ["--data"] = Csv("eval.csv", target: true) },
        "predict" => new() { ["--model"] = CliRunner.DigitsModel, ["--data"] = Csv("predict.csv", target: false) },
        "export" => new() { ["--model"] = CliRunner.DigitsModel, ["--onnx"] = Path.Combine(Scratch, "m.onnx") },
        "demo linear" => new() { ["--epochs"] = "3", ["--out"] = Path.Combine(Scratch, "demo") },
        "lr-sweep" => new() { ["--dataset"] = "digits", ["--epochs"] = "1", ["--rates"] = "0.01", ["--out"] = Path.Combine(Scratch, "sweep") },
        "lr-find" => new() { ["--dataset"] = "digits", ["--steps"] = "3", ["--out"] = Path.Combine(Scratch, "find") },
        "gradcheck" => new() { ["--layers"] = "3,2" },
        "cv" => new() { ["--dataset"] = "digits", ["--epochs"] = "1", ["--folds"] = "2", ["--layers"] = "8" },
        "bench" => new(),
        "importance" => new() { ["--model"] = CliRunner.DigitsModel, ["--data"] = Csv("importance.csv", target: true), ["--repeats"] = "1", ["--out"] = Path.Combine(Scratch, "importance.png") },
        "quantize" => new() { ["--model"] = CliRunner.DigitsModel, ["--out"] = Path.Combine(Scratch, "int8.fastmlp"), ["--dataset"] = "digits" },
        "import" => new()
        {
            ["--safetensors"] = CliRunner.TorchStateDict(Path.Combine(Scratch, "state.safetensors")),
            ["--activation"] = "relu",
            ["--output"] = "softmax",
            ["--out"] = Path.Combine(Scratch, "imported.fastmlp")
        },
        _ => throw new InvalidOperationException($"no base arguments for '{command}': add them here"),
    };

    private static string Csv(string name, bool target)
    {
        string path = Path.Combine(Scratch, name);
        File.WriteAllText(path, CliRunner.DigitsCsv(3, target));
        return path;
    }

    /// <summary>An out-of-domain value per option (exit 1), by "command option" or by option for all commands.</summary>
    private static readonly Dictionary<string, string> Invalid = new()
    {
        ["--data"] = Path.Combine(Scratch, "missing.csv"),
        ["--target"] = "no-such-column",
        ["--task"] = "astrology",
        ["--dataset"] = "imagenet",
        ["--layers"] = "0",
        ["gradcheck --layers"] = "3,0",
        ["--activation"] = "swish",
        ["--loss"] = "hinge",
        ["--optimizer"] = "lbfgs",
        ["--lr"] = "0",
        ["--momentum"] = "1.5",
        ["--weight-decay"] = "2",
        ["--schedule"] = "sometimes",
        ["--epochs"] = "0",
        ["--batch-size"] = "0",
        ["--split"] = "50/40",
        ["--patience"] = "-1",
        ["--threads"] = "100000",
        ["--checkpoint-every"] = "-1",
        ["--resume"] = Path.Combine(Scratch, "no-checkpoint"),
        ["--out"] = Path.Combine(AFile, "below-a-file"),
        ["predict --out"] = Scratch,
        ["--model"] = Path.Combine(Scratch, "missing.fastmlp"),
        ["--onnx"] = Scratch,
        ["--data-idx"] = $"{Path.Combine(Scratch, "images.gz")} {Path.Combine(Scratch, "labels.gz")}",
        ["--m"] = "NaN",
        ["--b"] = "1e300",
        ["--noise"] = "1e300",
        ["--points"] = "1",
        ["--rates"] = "0.1,-3",
        ["--min-lr"] = "0",
        ["--max-lr"] = "1e308",
        ["--steps"] = "0",
        ["--precision"] = "half",
        ["--tolerance"] = "2",
        ["--seconds"] = "1e9",
        ["--dropout"] = "1",
        ["--folds"] = "1",
        ["--monitor"] = "happiness",
        ["--class-weight"] = "yes:-2",
        ["--sample-weight"] = "no-such-column",
        ["--threshold"] = "1.5",
        ["--repeats"] = "0",
        ["--metric"] = "astrology",
        ["--categorical"] = "no-such-column",
        ["--numeric"] = "no-such-column",
        ["--missing"] = "NA,na",
        ["--impute"] = "mode",
        ["--min-category-count"] = "0",
        ["--max-categories"] = "0",
        ["--safetensors"] = Path.Combine(Scratch, "missing.safetensors"),
        ["import --output"] = "gelu",
        ["--class-names"] = "a,b,c",
    };

    /// <summary>Options for which every value of their type is valid: only an unparsable token is tested.</summary>
    private static readonly HashSet<string> AnyValueValid = ["--seed"];

    /// <summary>Flags take no value; nothing to make invalid.</summary>
    private static bool IsFlag(Option option) => option.ValueType == typeof(bool);

    public static IEnumerable<(string Command, Option Option)> AllOptions()
    {
        RootCommand root = Program.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null, TextReader.Null));
        foreach ((string path, Command command) in Leaves(root, ""))
        {
            foreach (Option option in command.Options.Where(o => !IsFlag(o) && o.Name != "--help" && o.Name != "--version"))
            {
                yield return (path, option);
            }
        }
    }

    private static IEnumerable<(string, Command)> Leaves(Command command, string prefix)
    {
        foreach (Command sub in command.Subcommands)
        {
            string path = (prefix + " " + sub.Name).Trim();
            if (sub.Subcommands.Count == 0)
            {
                yield return (path, sub);
            }
            foreach ((string, Command) leaf in Leaves(sub, path))
            {
                yield return leaf;
            }
        }
    }

    private static string? InvalidValue(string command, string option) =>
        Invalid.TryGetValue($"{command} {option}", out string? specific) ? specific : Invalid.GetValueOrDefault(option);

    public static TheoryData<string, string> OutOfDomainCases()
    {
        var data = new TheoryData<string, string>();
        foreach ((string command, Option option) in AllOptions())
        {
            if (InvalidValue(command, option.Name) is not null)
            {
                data.Add(command, option.Name);
            }
        }
        return data;
    }

    public static TheoryData<string, string> UnparsableCases()
    {
        var data = new TheoryData<string, string>();
        foreach ((string command, Option option) in AllOptions())
        {
            Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            if (type == typeof(int) || type == typeof(double))
            {
                data.Add(command, option.Name);
            }
        }
        return data;
    }

    [Fact]
    public void Every_option_has_an_invalid_case()
    {
        string[] uncovered = [.. AllOptions().Where(c => InvalidValue(c.Command, c.Option.Name) is null && !AnyValueValid.Contains(c.Option.Name))
                                              .Select(c => $"{c.Command} {c.Option.Name}")];
        Assert.True(uncovered.Length == 0, $"add an invalid value to OptionValidationTests.Invalid for: {string.Join(", ", uncovered)}");
        Assert.True(OutOfDomainCases().Count >= 60, $"only {OutOfDomainCases().Count} cases were generated");
    }

    [Theory]
    [MemberData(nameof(OutOfDomainCases))]
    public void An_out_of_domain_value_is_one_line_naming_the_option(string command, string option)
    {
        CliResult r = Run(command, option, InvalidValue(command, option)!);
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}; stderr: {r.Error}");
        AssertOneLineNaming(r, option);
    }

    [Theory]
    [MemberData(nameof(UnparsableCases))]
    public void An_unparsable_number_is_one_line_naming_the_option(string command, string option)
    {
        CliResult r = Run(command, option, "twelve");
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        AssertOneLineNaming(r, option);
    }

    private static CliResult Run(string command, string option, string value)
    {
        Dictionary<string, string> arguments = BaseArguments(command);
        if (option is "--data" or "--data-idx" or "--dataset")
        {
            arguments.Remove("--dataset"); // the data options exclude one another
        }
        arguments[option] = value;
        List<string> args = [.. command.Split(' ')];
        foreach ((string name, string given) in arguments)
        {
            args.Add(name);
            args.AddRange(name == "--data-idx" ? given.Split(' ') : [given]);
        }
        args.Add("--quiet");
        return CliRunner.Run([.. args]);
    }

    private static void AssertOneLineNaming(CliResult r, string option)
    {
        string error = r.Error.TrimEnd();
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("(Parameter '", error);
        Assert.Contains(option, error);
    }
}
