using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FastMlp.Benchmarks.Reporting;

/// <summary>
/// Turns committed BenchmarkDotNet results (perf-results/&lt;cpu&gt;/&lt;suite&gt;.json, the "full" JSON
/// export) into the Markdown tables shown in perf-results and in the README. Shared with the test
/// project, which fails when the README's tables are stale.
/// </summary>
public static class PerfTable
{
    public const string BeginMarker = "<!-- perf-table:begin -->";
    public const string EndMarker = "<!-- perf-table:end -->";

    /// <summary>One benchmark case; <paramref name="Job"/> is the BenchmarkDotNet job id, <paramref name="Title"/> the method's description.</summary>
    public sealed record Row(string Method, string Parameters, double MeanNs, long AllocatedBytes, string Job = "", string Title = "");

    public sealed record Suite(string Name, string Cpu, string Runtime, string Path, IReadOnlyList<Row> Rows);

    public static Suite Load(string jsonPath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        JsonElement root = doc.RootElement;
        JsonElement host = root.GetProperty("HostEnvironmentInfo");
        string cpu = host.GetProperty("ProcessorName").GetString() ?? "?";
        string runtime = host.GetProperty("RuntimeVersion").GetString() ?? "?";
        var rows = new List<Row>();
        foreach (JsonElement b in root.GetProperty("Benchmarks").EnumerateArray())
        {
            if (!b.TryGetProperty("Statistics", out JsonElement stats) || stats.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            long allocated = b.TryGetProperty("Memory", out JsonElement mem) && mem.ValueKind == JsonValueKind.Object
                ? mem.GetProperty("BytesAllocatedPerOperation").GetInt64()
                : -1;
            string method = b.GetProperty("Method").GetString() ?? "?";
            rows.Add(new Row(method,
                             b.GetProperty("Parameters").GetString() ?? "",
                             stats.GetProperty("Mean").GetDouble(), allocated,
                             b.TryGetProperty("DisplayInfo", out JsonElement info) ? JobOf(info.GetString() ?? "") : "",
                             b.TryGetProperty("MethodTitle", out JsonElement title) ? title.GetString() ?? method : method));
        }
        string name = System.IO.Path.GetFileNameWithoutExtension(jsonPath);
        return new Suite(name, cpu, runtime, jsonPath, rows);
    }

    /// <summary>All suites under <paramref name="perfResultsDir"/>, ordered by CPU folder then suite name.</summary>
    public static IReadOnlyList<Suite> LoadAll(string perfResultsDir) =>
        Directory.Exists(perfResultsDir)
            ? Directory.GetFiles(perfResultsDir, "*.json", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith("baseline.json", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(Load).ToArray()
            : [];

    /// <summary>"Type.Method: JobId(Characteristic=…) [Params]" → "JobId".</summary>
    private static string JobOf(string displayInfo)
    {
        int start = displayInfo.IndexOf(": ", StringComparison.Ordinal) + 2;
        int end = displayInfo.IndexOfAny(['(', ' ', '['], Math.Max(start, 0));
        return start < 2 ? "" : (end < 0 ? displayInfo[start..] : displayInfo[start..end]);
    }

    /// <summary>Markdown for one suite: peers side by side per parameter set, with ratios.</summary>
    public static string Render(Suite suite)
    {
        if (suite.Rows.Select(r => r.Job).Distinct().Count() > 1)
        {
            return RenderJobs(suite);
        }
        var sb = new StringBuilder();
        bool anyThreads = suite.Rows.Any(r => ThreadCount(r.Parameters) is not null);
        sb.Append(CultureInfo.InvariantCulture, $"**{suite.Name}** — {suite.Cpu}, {suite.Runtime}{(anyThreads ? "" : ", one thread")}\n\n");
        string[] methods = suite.Rows.Select(r => r.Method).Distinct().ToArray();
        bool gemm = suite.Rows.Any(r => r.Parameters.StartsWith("Shape=", StringComparison.Ordinal));
        string? baseline = methods.Contains("OpenBLAS") ? "OpenBLAS" : methods.Contains("OrtInt8") ? "OrtInt8" : null;
        string[] others = methods.Where(m => m != baseline).ToArray();

        sb.Append("| Case |");
        foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {m} |");
        if (baseline is not null) sb.Append(CultureInfo.InvariantCulture, $" {baseline} |");
        if (gemm)
        {
            foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {m} GFLOP/s |");
            if (baseline is not null) sb.Append(CultureInfo.InvariantCulture, $" {baseline} GFLOP/s |");
        }
        if (baseline is not null)
        {
            foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {m} speed vs {baseline} |");
        }
        bool threads = suite.Rows.Any(r => ThreadCount(r.Parameters) is not null);
        if (threads)
        {
            foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {m} time vs 1 thread |");
        }
        foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {m} allocated |");
        sb.Append('\n');
        int columns = 1 + others.Length + (baseline is null ? 0 : 1)
                      + (gemm ? others.Length + (baseline is null ? 0 : 1) : 0)
                      + (baseline is null ? 0 : others.Length) + (threads ? others.Length : 0) + others.Length;
        sb.Append('|').Append(string.Concat(Enumerable.Repeat("---|", columns))).Append('\n');

        foreach (string parameters in suite.Rows.Select(r => r.Parameters).Distinct())
        {
            Row? Find(string method) => suite.Rows.FirstOrDefault(r => r.Method == method && r.Parameters == parameters);
            string label = gemm ? parameters["Shape=".Length..].Replace("x", " × ", StringComparison.Ordinal) : Label(parameters);
            sb.Append(CultureInfo.InvariantCulture, $"| {label} |");
            foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {Time(Find(m))} |");
            if (baseline is not null) sb.Append(CultureInfo.InvariantCulture, $" {Time(Find(baseline))} |");
            if (gemm)
            {
                foreach (string m in others) sb.Append(CultureInfo.InvariantCulture, $" {Gflops(parameters, Find(m))} |");
                if (baseline is not null) sb.Append(CultureInfo.InvariantCulture, $" {Gflops(parameters, Find(baseline))} |");
            }
            if (baseline is not null)
            {
                Row? b = Find(baseline);
                foreach (string m in others)
                {
                    Row? r = Find(m);
                    string ratio = r is null || b is null ? "–" : (b.MeanNs / r.MeanNs).ToString("F2", CultureInfo.InvariantCulture) + "×";
                    sb.Append(CultureInfo.InvariantCulture, $" {ratio} |");
                }
            }
            if (threads)
            {
                string single = OneThread(parameters);
                foreach (string m in others)
                {
                    Row? r = Find(m);
                    Row? one = suite.Rows.FirstOrDefault(x => x.Method == m && x.Parameters == single);
                    string ratio = r is null || one is null ? "–" : (r.MeanNs / one.MeanNs).ToString("F2", CultureInfo.InvariantCulture) + "×";
                    sb.Append(CultureInfo.InvariantCulture, $" {ratio} |");
                }
            }
            foreach (string m in others)
            {
                Row? r = Find(m);
                sb.Append(CultureInfo.InvariantCulture, $" {(r is null || r.AllocatedBytes < 0 ? "–" : r.AllocatedBytes + " B")} |");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Several jobs (e.g. JIT and NativeAOT builds): one column per job, speed relative to the first job.</summary>
    private static string RenderJobs(Suite suite)
    {
        var sb = new StringBuilder();
        // The JIT job (when present) is the reference column; the others in name order.
        string[] jobs = [.. suite.Rows.Select(r => r.Job).Distinct().OrderBy(j => j == "JIT" ? 0 : 1).ThenBy(j => j, StringComparer.Ordinal)];
        sb.Append(CultureInfo.InvariantCulture, $"**{suite.Name}** — {suite.Cpu}, {suite.Runtime}, one thread\n\n| Case |");
        foreach (string j in jobs) sb.Append(CultureInfo.InvariantCulture, $" {j} |");
        foreach (string j in jobs.Skip(1)) sb.Append(CultureInfo.InvariantCulture, $" {j} speed vs {jobs[0]} |");
        sb.Append(" allocated |\n|").Append(string.Concat(Enumerable.Repeat("---|", 2 * jobs.Length + 1))).Append('\n');
        foreach ((string title, string parameters) in suite.Rows.Select(r => (r.Title, r.Parameters)).Distinct())
        {
            Row? Find(string job) => suite.Rows.FirstOrDefault(r => r.Job == job && r.Title == title && r.Parameters == parameters);
            string label = parameters.Length == 0 ? title : $"{title}, {Label(parameters)}";
            sb.Append(CultureInfo.InvariantCulture, $"| {label} |");
            foreach (string j in jobs) sb.Append(CultureInfo.InvariantCulture, $" {Time(Find(j))} |");
            Row? first = Find(jobs[0]);
            foreach (string j in jobs.Skip(1))
            {
                Row? r = Find(j);
                sb.Append(CultureInfo.InvariantCulture, $" {(r is null || first is null ? "–" : (first.MeanNs / r.MeanNs).ToString("F2", CultureInfo.InvariantCulture) + "×")} |");
            }
            long allocated = suite.Rows.Where(r => r.Title == title && r.Parameters == parameters).Max(r => r.AllocatedBytes);
            sb.Append(CultureInfo.InvariantCulture, $" {(allocated < 0 ? "–" : allocated + " B")} |\n");
        }
        return sb.ToString();
    }

    private static int? ThreadCount(string parameters)
    {
        foreach (string part in Parts(parameters))
        {
            if (part.StartsWith("Threads=", StringComparison.Ordinal) && int.TryParse(part["Threads=".Length..], out int t))
            {
                return t;
            }
        }
        return null;
    }

    /// <summary>The same parameters with Threads=1 (the row a thread count is compared with).</summary>
    private static string OneThread(string parameters) =>
        string.Join("&", Parts(parameters).Select(p => p.StartsWith("Threads=", StringComparison.Ordinal) ? "Threads=1" : p));

    // BenchmarkDotNet joins parameters as "A=x&B=y".
    private static string[] Parts(string parameters) => parameters.Split('&', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>"Case=step 64-32-10 b32&amp;Threads=2" → "step 64-32-10 b32, Threads=2"; no parameters → "–".</summary>
    private static string Label(string parameters)
    {
        string[] parts = Parts(parameters);
        if (parts.Length == 0)
        {
            return "–";
        }
        return string.Join(", ", parts.Select(p => p.StartsWith("Threads=", StringComparison.Ordinal) ? p.Replace("Threads=", "threads ", StringComparison.Ordinal) + "" : p[(p.IndexOf('=') + 1)..]));
    }

    private static string Time(Row? r)
    {
        if (r is null) return "–";
        double ns = r.MeanNs;
        return ns >= 1e6 ? (ns / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms"
             : ns >= 1e3 ? (ns / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " µs"
             : ns.ToString("F1", CultureInfo.InvariantCulture) + " ns";
    }

    private static string Gflops(string parameters, Row? r)
    {
        if (r is null) return "–";
        long[] d = parameters["Shape=".Length..].Split('x').Select(long.Parse).ToArray();
        return (2.0 * d[0] * d[1] * d[2] / r.MeanNs).ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <summary>The README block: every committed suite, with where it came from.</summary>
    public static string RenderReadmeBlock(string repoRoot)
    {
        var sb = new StringBuilder();
        sb.Append(BeginMarker).Append('\n');
        sb.Append("<!-- generated from perf-results/ by `dotnet run -c Release --project benchmarks/FastMlp.Benchmarks -- publish-results`; do not edit by hand -->\n");
        foreach (Suite s in LoadAll(System.IO.Path.Combine(repoRoot, "perf-results")))
        {
            string rel = System.IO.Path.GetRelativePath(repoRoot, s.Path).Replace('\\', '/');
            sb.Append('\n').Append(Render(s)).Append(CultureInfo.InvariantCulture, $"\nSource: [`{rel}`]({rel})\n");
        }
        sb.Append(EndMarker);
        return sb.ToString();
    }

    /// <summary>Replaces the block between the markers in README text.</summary>
    public static string ReplaceBlock(string readme, string block)
    {
        int begin = readme.IndexOf(BeginMarker, StringComparison.Ordinal);
        int end = readme.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"README.md has no {BeginMarker} … {EndMarker} block.");
        }
        return readme[..begin] + block + readme[(end + EndMarker.Length)..];
    }

    public static string? CurrentBlock(string readme)
    {
        int begin = readme.IndexOf(BeginMarker, StringComparison.Ordinal);
        int end = readme.IndexOf(EndMarker, StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : readme[begin..(end + EndMarker.Length)];
    }
}
