using System.Globalization;
using FastMlp.Benchmarks.Reporting;

namespace FastMlp.Benchmarks;

/// <summary>
/// `compare &lt;base&gt; &lt;head&gt; [--threshold 5%] [--alpha 0.05] [--out table.md]`: pairs the benchmarks of two
/// result sets (a full-JSON file or a folder of them) and prints a Markdown verdict table.
/// Exit codes are the CI contract: 0 no regression, 1 regression, 2 bad input.
/// </summary>
internal static class CompareCommand
{
    public const int Ok = 0, Regression = 1, BadInput = 2;

    private const string Usage = "usage: compare <base.json|dir> <head.json|dir> [--threshold 5%] [--alpha 0.05] [--out table.md]";

    public static int Run(string[] args)
    {
        try
        {
            var positional = new List<string>();
            double threshold = ResultComparer.DefaultThreshold, alpha = ResultComparer.DefaultAlpha;
            string? outPath = null;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--threshold": threshold = ParseFraction(Value(args, ref i)); break;
                    case "--alpha": alpha = ParseFraction(Value(args, ref i)); break;
                    case "--out": outPath = Value(args, ref i); break;
                    case "-h" or "--help": Console.WriteLine(Usage); return Ok;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            throw new BenchmarkResultsException($"unknown option '{args[i]}'; {Usage}");
                        }
                        positional.Add(args[i]);
                        break;
                }
            }
            if (positional.Count != 2)
            {
                throw new BenchmarkResultsException(Usage);
            }
            if (threshold < 0 || alpha <= 0 || alpha >= 1)
            {
                throw new BenchmarkResultsException("--threshold must be ≥ 0 and --alpha in (0, 1)");
            }

            ComparisonReport report = ResultComparer.Compare(
                BenchmarkResultSet.LoadPath(positional[0]), BenchmarkResultSet.LoadPath(positional[1]), threshold, alpha);
            string markdown = ResultComparer.RenderMarkdown(report);
            Console.Write(markdown);
            if (outPath is not null)
            {
                File.WriteAllText(outPath, markdown);
            }
            return report.HasRegression ? Regression : Ok;
        }
        catch (Exception e) when (e is BenchmarkResultsException or IOException or UnauthorizedAccessException)
        {
            // One line, no stack trace: this is read in CI logs.
            Console.Error.WriteLine($"compare: {e.Message}");
            return BadInput;
        }
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new BenchmarkResultsException($"{args[i - 1]} needs a value; {Usage}");

    /// <summary>"5%" → 0.05, "0.05" → 0.05 (a bare number ≥ 1 is read as percent: "5" → 0.05).</summary>
    internal static double ParseFraction(string text)
    {
        bool percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            throw new BenchmarkResultsException($"'{text}' is not a number or percentage");
        }
        return percent || v >= 1 ? v / 100 : v;
    }
}
