using System.Globalization;
using System.Text;

namespace FastMlp.Benchmarks.Reporting;

/// <summary>
/// Decides faster / slower / same for each benchmark in base and head, in the spirit of BenchmarkDotNet's
/// threshold statistical test: a time difference counts only when Mann–Whitney says it is significant
/// AND the medians differ by more than the relative threshold — significance alone flags 0.5 % shifts
/// that no one can act on, a threshold alone flags noise. Any allocation increase is a regression.
/// </summary>
public static class ResultComparer
{
    public const double DefaultThreshold = 0.05;
    public const double DefaultAlpha = 0.05;

    public static ComparisonReport Compare(
        IReadOnlyDictionary<string, BenchmarkResult> baseResults, IReadOnlyDictionary<string, BenchmarkResult> headResults,
        double threshold = DefaultThreshold, double alpha = DefaultAlpha)
    {
        var compared = new List<BenchmarkComparison>();
        foreach ((string key, BenchmarkResult head) in headResults)
        {
            if (baseResults.TryGetValue(key, out BenchmarkResult? @base))
            {
                compared.Add(CompareOne(@base, head, threshold, alpha));
            }
        }
        compared.Sort((a, b) =>
        {
            int byRatio = Nan(b.Ratio).CompareTo(Nan(a.Ratio)); // worst first
            return byRatio != 0 ? byRatio : string.CompareOrdinal(a.DisplayName, b.DisplayName);
        });
        string[] added = headResults.Where(kv => !baseResults.ContainsKey(kv.Key)).Select(kv => kv.Value.DisplayName).Order(StringComparer.Ordinal).ToArray();
        string[] removed = baseResults.Where(kv => !headResults.ContainsKey(kv.Key)).Select(kv => kv.Value.DisplayName).Order(StringComparer.Ordinal).ToArray();
        return new ComparisonReport(compared, added, removed, threshold, alpha);
    }

    private static double Nan(double ratio) => double.IsNaN(ratio) ? double.NegativeInfinity : ratio;

    public static BenchmarkComparison CompareOne(BenchmarkResult @base, BenchmarkResult head, double threshold, double alpha)
    {
        // Each side is represented by its fastest launch's median. On a shared machine a whole process
        // sometimes lands in a slow mode (same build, measured here: +38 % for one launch in six); the
        // best launch ignores such outliers on either side, while a real slowdown slows every launch.
        double baseMedian = @base.Launches.Min();
        double headMedian = head.Launches.Min();
        double p = MannWhitney.TwoSidedPValue(@base.NanosecondsPerOp, head.NanosecondsPerOp);
        TimeVerdict time;
        if (@base.NanosecondsPerOp.Count < 2 || head.NanosecondsPerOp.Count < 2 || baseMedian <= 0)
        {
            time = TimeVerdict.NotEnoughData;
        }
        else
        {
            double ratio = headMedian / baseMedian;
            bool significant = p < alpha;
            time = significant && ratio > 1 + threshold ? TimeVerdict.Slower
                 : significant && ratio < 1 / (1 + threshold) ? TimeVerdict.Faster
                 : TimeVerdict.Same;
        }
        // 0 B → anything is the case that matters most on hot paths (the library promises zero-allocation GEMM).
        bool allocationRegressed = @base.AllocatedBytesPerOp is long b && head.AllocatedBytesPerOp is long h && h > b;
        return new BenchmarkComparison(head.Key, head.DisplayName, baseMedian, headMedian, p, time,
                                       @base.AllocatedBytesPerOp, head.AllocatedBytesPerOp, allocationRegressed);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        double[] sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Markdown: the comparison table (worst ratio first), then added and removed benchmarks and a verdict line.</summary>
    public static string RenderMarkdown(ComparisonReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"### Benchmark comparison (threshold {report.Threshold:P1}, Mann–Whitney α = {report.Alpha:0.###})\n\n");
        if (report.Compared.Count > 0)
        {
            sb.Append("| Benchmark | Base median | Head median | Ratio | Verdict | Base alloc | Head alloc |\n");
            sb.Append("|---|---:|---:|---:|---|---:|---:|\n");
            foreach (BenchmarkComparison c in report.Compared)
            {
                sb.Append(inv, $"| {Escape(c.DisplayName)} | {Time(c.BaseMedianNs)} | {Time(c.HeadMedianNs)} | ");
                sb.Append(double.IsNaN(c.Ratio) ? "–" : c.Ratio.ToString("F3", inv)).Append(" | ");
                sb.Append(Verdict(c)).Append(" | ");
                sb.Append(Bytes(c.BaseAllocatedBytes)).Append(" | ").Append(Bytes(c.HeadAllocatedBytes)).Append(" |\n");
            }
            sb.Append('\n');
        }
        else
        {
            sb.Append("No benchmark is present in both base and head.\n\n");
        }
        AppendList(sb, "Added (head only)", report.Added);
        AppendList(sb, "Removed (base only)", report.Removed);
        int regressions = report.Regressions.Count();
        sb.Append(regressions == 0
            ? $"**No regression** ({report.Compared.Count} compared, {report.Compared.Count(c => c.Time == TimeVerdict.Faster)} faster).\n"
            : $"**{regressions} regression(s)** out of {report.Compared.Count} compared.\n");
        return sb.ToString();
    }

    private static string Verdict(BenchmarkComparison c)
    {
        string time = c.Time switch
        {
            TimeVerdict.Slower => "❌ slower",
            TimeVerdict.Faster => "✅ faster",
            TimeVerdict.NotEnoughData => "? too few samples",
            _ => "same",
        };
        return c.AllocationRegressed ? time + ", ❌ allocates more" : time;
    }

    private static void AppendList(StringBuilder sb, string title, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }
        sb.Append(CultureInfo.InvariantCulture, $"{title}:\n");
        foreach (string n in names) sb.Append("- ").Append(Escape(n)).Append('\n');
        sb.Append('\n');
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Bytes(long? b) => b is long v ? v.ToString(CultureInfo.InvariantCulture) + " B" : "–";

    public static string Time(double ns) =>
        double.IsNaN(ns) ? "–"
        : ns >= 1e6 ? (ns / 1e6).ToString("F3", CultureInfo.InvariantCulture) + " ms"
        : ns >= 1e3 ? (ns / 1e3).ToString("F3", CultureInfo.InvariantCulture) + " µs"
        : ns.ToString("F2", CultureInfo.InvariantCulture) + " ns";
}
