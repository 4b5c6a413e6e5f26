using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FastMlp.Cli.Tests;

/// <summary>
/// The README's example outputs are generated, not typed: every block between <c>&lt;!-- example:NAME:begin --&gt;</c> and
/// <c>&lt;!-- example:NAME:end --&gt;</c> holds <c>$ fastmlp …</c> (or <c>$ cat FILE</c>) command lines; their commands are run
/// in-process here, in order, in one temporary folder (so a later command reads what an earlier one wrote), and the block
/// must equal the commands followed by their output. With FASTMLP_UPDATE_README=1 the README is rewritten instead
/// (<c>docs/make-readme-examples.sh</c>).
/// </summary>
/// <remarks>
/// Left out because they depend on the machine: the per-epoch table (its time column; "…" stands for it), the GEMM path
/// at the end of train's Model line, a forced path's warning, and the seconds of train's last line. The numbers are
/// printed with 4 decimals (6 for probabilities): the GEMM paths (AVX-512, AVX2, portable) round differently in the last
/// bits of the weights (relative 1e-5 after 30 epochs), which has not changed a printed digit on the AVX2 and portable
/// paths, nor between the AVX-512 and AVX2 runs so far; a decimal number may still differ by one unit in its last digit
/// from the README (a rounding that falls the other way), while text, integers and counts must match exactly.
/// </remarks>
public sealed class ReadmeExampleTests
{
    private const string UpdateVariable = "FASTMLP_UPDATE_README";

    private static readonly Regex Block = new(@"(?<begin><!-- example:(?<name>[a-z0-9-]+):begin -->\n)(?<body>.*?)(?<end><!-- example:\k<name>:end -->)", RegexOptions.Singleline);

    [Fact]
    public void The_readme_examples_are_the_output_of_their_commands()
    {
        string readmePath = FindReadme();
        string readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
        MatchCollection blocks = Block.Matches(readme);
        Assert.True(blocks.Count >= 2, $"{readmePath}: expected the example blocks (<!-- example:NAME:begin --> … <!-- example:NAME:end -->), found {blocks.Count}.");

        using TempFolder work = CliRunner.Temp();
        var problems = new List<string>();
        string updated = Block.Replace(readme, m =>
        {
            string name = m.Groups["name"].Value, body = m.Groups["body"].Value;
            string generated = Generate(name, body, work.Path);
            if (Difference(body, generated) is { } difference)
            {
                problems.Add($"example '{name}': {difference}");
            }
            return m.Groups["begin"].Value + generated + m.Groups["end"].Value;
        });
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            if (updated != readme)
            {
                File.WriteAllText(readmePath, updated);
            }
            return;
        }
        Assert.True(problems.Count == 0,
            $"{readmePath} differs from what its example commands print; run docs/make-readme-examples.sh to regenerate it.\n" + string.Join("\n", problems));
    }

    /// <summary>The README of the repository this test was built from (found above the test's output folder).</summary>
    private static string FindReadme()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "FastMlp.sln")) && File.Exists(Path.Combine(d.FullName, "README.md")))
            {
                return Path.Combine(d.FullName, "README.md");
            }
        }
        throw new InvalidOperationException($"No README.md beside a FastMlp.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A block's new text: each command as written, its output, a blank line between commands; fenced.</summary>
    private static string Generate(string name, string body, string work)
    {
        List<string[]> commands = Commands(body);
        Assert.True(commands.Count > 0, $"example '{name}' has no '$ ' command line.");
        var text = new StringBuilder("```\n");
        for (int i = 0; i < commands.Count; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }
            foreach (string line in commands[i])
            {
                text.Append(line).Append('\n');
            }
            string output = Run(name, string.Join(' ', commands[i].Select(l => l.TrimStart('$').Trim().TrimEnd('\\').Trim())), work);
            if (output.Length > 0)
            {
                text.Append(output).Append('\n');
            }
        }
        return text.Append("```\n").ToString();
    }

    /// <summary>The command lines of a block: a line starting with "$ " and the lines that continue it (after a trailing '\').</summary>
    private static List<string[]> Commands(string body)
    {
        var commands = new List<string[]>();
        string[] lines = body.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                continue;
            }
            var command = new List<string> { lines[i] };
            while (command[^1].EndsWith('\\') && i + 1 < lines.Length)
            {
                command.Add(lines[++i]);
            }
            commands.Add([.. command]);
        }
        return commands;
    }

    private static readonly string DataFolder = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>
    /// Runs one command: paths under tests/data/ are read from the copies beside the test, the files named by --out,
    /// --model and --onnx live in <paramref name="work"/>; the output (stderr, then stdout) has those paths as typed.
    /// </summary>
    private static string Run(string name, string commandLine, string work)
    {
        string[] words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] args = new string[words.Length - 1];
        for (int i = 1; i < words.Length; i++)
        {
            string word = words[i];
            args[i - 1] = word.StartsWith("tests/data/", StringComparison.Ordinal) ? Path.Combine(DataFolder, word["tests/data/".Length..])
                : words[i - 1] is "--out" or "--model" or "--onnx" ? Path.Combine(work, word)
                : word;
        }
        string output;
        switch (words[0])
        {
            case "fastmlp":
                CliResult r = CliRunner.Run(args);
                Assert.True(r.ExitCode == 0, $"example '{name}': '{commandLine}' exited {r.ExitCode}: {r.Error}");
                output = r.Error + r.Output;
                break;
            case "cat" when args.Length == 1:
                output = File.ReadAllText(args[0]);
                break;
            default:
                throw new InvalidOperationException($"example '{name}': '{commandLine}': only 'fastmlp …' and 'cat FILE' commands are run.");
        }
        output = output.Replace(work + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                       .Replace(DataFolder + Path.DirectorySeparatorChar, "tests/data/", StringComparison.Ordinal);
        return Normalize(output);
    }

    /// <summary>Trailing spaces off; the per-epoch table, the GEMM path, a forced path's warning and wall times left out.</summary>
    internal static string Normalize(string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        int header = lines.FindIndex(l => Regex.IsMatch(l, @"^\s*epoch\s+train loss\s+val loss"));
        if (header >= 0)
        {
            int caption = lines.FindIndex(header, l => l.TrimStart().StartsWith("* best epoch", StringComparison.Ordinal));
            int start = header > 0 && lines[header - 1].Length == 0 ? header - 1 : header;
            lines.RemoveRange(start, (caption < 0 ? header : caption) - start + 1);
            lines.Insert(start, "…");
        }
        lines.RemoveAll(l => l.StartsWith("Warning: GEMM ", StringComparison.Ordinal));
        string text = string.Join('\n', lines);
        text = Regex.Replace(text, @"; GEMM path \w+", "");
        text = Regex.Replace(text, @", [0-9.]+ s\)", ")");
        return text.Trim('\n');
    }

    private static readonly Regex Decimal = new(@"-?\d+\.\d+");

    /// <summary>
    /// Null when <paramref name="generated"/> matches <paramref name="readme"/>: the same text, except that a decimal number
    /// may differ by one unit in its last digit (same number of digits); else the first differing line of each.
    /// </summary>
    internal static string? Difference(string readme, string generated)
    {
        string[] expected = readme.Split('\n'), actual = generated.Split('\n');
        for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            string e = i < expected.Length ? expected[i] : "(no line)", a = i < actual.Length ? actual[i] : "(no line)";
            if (!SameLine(e, a))
            {
                return $"line {i + 1} of the block is\n  README: {e}\n  output: {a}";
            }
        }
        return null;
    }

    private static bool SameLine(string expected, string actual)
    {
        if (expected == actual)
        {
            return true;
        }
        if (Decimal.Replace(expected, "#") != Decimal.Replace(actual, "#"))
        {
            return false;
        }
        MatchCollection e = Decimal.Matches(expected), a = Decimal.Matches(actual);
        for (int k = 0; k < e.Count; k++)
        {
            string x = e[k].Value, y = a[k].Value;
            int decimals = x.Length - x.IndexOf('.') - 1;
            if (decimals != y.Length - y.IndexOf('.') - 1)
            {
                return false;
            }
            double unit = Math.Pow(10, -decimals);
            if (Math.Abs(double.Parse(x, CultureInfo.InvariantCulture) - double.Parse(y, CultureInfo.InvariantCulture)) > unit * 1.5)
            {
                return false;
            }
        }
        return true;
    }

    [Theory]
    [InlineData("accuracy 84.58 %, loss 0.3612", "accuracy 84.58 %, loss 0.3613", true)]
    [InlineData("accuracy 84.58 %, loss 0.3612", "accuracy 84.58 %, loss 0.3614", false)]
    [InlineData("accuracy 84.58 %, loss 0.3612", "accuracy 84.58 %, loss 0.36120", false)]
    [InlineData("  no            193    11", "  no            192    12", false)]
    [InlineData("no,0.957307", "no,0.957306", true)]
    [InlineData("no,0.957307", "yes,0.957307", false)]
    [InlineData("ROC-AUC 0.7900, log-loss 0.3612", "ROC-AUC 0.7900", false)]
    public void The_comparison_allows_one_unit_in_the_last_decimal_and_nothing_else(string readme, string output, bool same)
    {
        Assert.Equal(same, Difference(readme, output) is null);
    }

    [Fact]
    public void Normalizing_leaves_out_the_epoch_table_the_gemm_path_and_the_time()
    {
        string output = string.Join('\n',
            "Model: 27-32-2 (…), early stopping patience 5; GEMM path Avx2",
            "Warning: GEMM runs the portable path although this CPU supports avx2: FASTMLP_ISA=portable forces it.",
            "                  ",
            "  epoch   train loss   val loss   val accuracy      LR     time  ",
            "─────────",
            "      1       0.5299     0.4969        77.92 %   0.001   340 ms  ",
            "                  ",
            "       * best epoch         ",
            "Stopped early after epoch 32; best epoch 27 (its weights restored).",
            "test accuracy 84.58 % (32 epochs, 1.6 s)");
        Assert.Equal(string.Join('\n',
            "Model: 27-32-2 (…), early stopping patience 5",
            "…",
            "Stopped early after epoch 32; best epoch 27 (its weights restored).",
            "test accuracy 84.58 % (32 epochs)"), Normalize(output));
    }
}
