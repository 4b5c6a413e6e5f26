using System.Text.Json;

namespace FastMlp.Benchmarks.Reporting;

/// <summary>
/// Reads BenchmarkDotNet "full" JSON exports (BenchmarkDotNet.Artifacts/results/*-report-full.json and the
/// committed perf-results/&lt;cpu&gt;/&lt;suite&gt;.json). Several files or runs of the same case are merged so
/// alternating runs (base, head, base, head) pool their iterations.
/// </summary>
public static class BenchmarkResultSet
{
    /// <summary>A results file, or a folder searched recursively (preferring *-report-full.json when present).</summary>
    public static IReadOnlyDictionary<string, BenchmarkResult> LoadPath(string path)
    {
        string[] files;
        if (File.Exists(path))
        {
            files = [path];
        }
        else if (Directory.Exists(path))
        {
            string[] full = Directory.GetFiles(path, "*-report-full.json", SearchOption.AllDirectories);
            files = full.Length > 0 ? full : Directory.GetFiles(path, "*.json", SearchOption.AllDirectories);
            if (files.Length == 0)
            {
                throw new BenchmarkResultsException($"no results JSON files under '{path}'");
            }
        }
        else
        {
            throw new BenchmarkResultsException($"'{path}' does not exist");
        }
        Array.Sort(files, StringComparer.Ordinal);
        return Merge(files.Select(f => ParseFile(f)));
    }

    private static IReadOnlyList<BenchmarkResult> ParseFile(string file)
    {
        try
        {
            return Parse(File.ReadAllText(file));
        }
        catch (BenchmarkResultsException e)
        {
            throw new BenchmarkResultsException($"{file}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new BenchmarkResultsException($"{file}: {e.Message}", e);
        }
    }

    /// <summary>Parses one full-JSON export.</summary>
    public static IReadOnlyList<BenchmarkResult> Parse(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("Benchmarks", out JsonElement benchmarks)
                || benchmarks.ValueKind != JsonValueKind.Array)
            {
                throw new BenchmarkResultsException("not a BenchmarkDotNet results export (no \"Benchmarks\" array)");
            }
            return benchmarks.EnumerateArray().Select(ParseBenchmark).ToArray();
        }
        catch (JsonException e)
        {
            throw new BenchmarkResultsException($"invalid JSON ({e.Message})", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new BenchmarkResultsException($"unexpected results layout ({e.Message})", e);
        }
    }

    private static BenchmarkResult ParseBenchmark(JsonElement b)
    {
        string type = String(b, "Type");
        string method = String(b, "Method");
        string parameters = String(b, "Parameters");
        string display = $"{type}.{method}" + (parameters.Length > 0 ? $" [{parameters}]" : "");
        string key = String(b, "FullName") is { Length: > 0 } fullName ? fullName : display;

        var samples = new List<double>();
        if (b.TryGetProperty("Measurements", out JsonElement measurements) && measurements.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement m in measurements.EnumerateArray())
            {
                // The "Result" stage is the overhead-corrected workload: what Statistics are computed from.
                if (String(m, "IterationMode") == "Workload" && String(m, "IterationStage") == "Result")
                {
                    double operations = m.GetProperty("Operations").GetDouble();
                    if (operations > 0)
                    {
                        samples.Add(m.GetProperty("Nanoseconds").GetDouble() / operations);
                    }
                }
            }
        }
        // Exports without measurements (brief JSON) still carry the per-iteration values in Statistics.
        if (samples.Count == 0 && b.TryGetProperty("Statistics", out JsonElement stats) && stats.ValueKind == JsonValueKind.Object
            && stats.TryGetProperty("OriginalValues", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
        {
            samples.AddRange(values.EnumerateArray().Select(v => v.GetDouble()));
        }

        long? allocated = b.TryGetProperty("Memory", out JsonElement memory) && memory.ValueKind == JsonValueKind.Object
                          && memory.TryGetProperty("BytesAllocatedPerOperation", out JsonElement bytes) && bytes.ValueKind == JsonValueKind.Number
            ? bytes.GetInt64()
            : null;
        return new BenchmarkResult(key, display, samples, allocated);
    }

    private static string String(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    /// <summary>Pools cases with the same key: samples concatenated, allocation the largest seen.</summary>
    public static IReadOnlyDictionary<string, BenchmarkResult> Merge(IEnumerable<IReadOnlyList<BenchmarkResult>> runs)
    {
        var merged = new Dictionary<string, BenchmarkResult>(StringComparer.Ordinal);
        foreach (BenchmarkResult r in runs.SelectMany(run => run))
        {
            merged[r.Key] = merged.TryGetValue(r.Key, out BenchmarkResult? seen)
                ? seen with
                {
                    NanosecondsPerOp = [.. seen.NanosecondsPerOp, .. r.NanosecondsPerOp],
                    LaunchMedians = [.. seen.Launches, .. r.Launches],
                    AllocatedBytesPerOp = seen.AllocatedBytesPerOp is null ? r.AllocatedBytesPerOp
                                        : r.AllocatedBytesPerOp is null ? seen.AllocatedBytesPerOp
                                        : Math.Max(seen.AllocatedBytesPerOp.Value, r.AllocatedBytesPerOp.Value),
                }
                : r;
        }
        return merged;
    }
}
