using FastMlp.Benchmarks.CommandLine;
using Xunit;

namespace FastMlp.Tests.Benchmarks;

/// <summary>
/// The benchmarks program's dispatch, with stand-in tools: every command documented in the README, `.ci/run` and
/// the perf workflow reaches its tool or BenchmarkDotNet with its arguments unchanged; mistakes are one line, exit 2.
/// </summary>
public class BenchmarkCommandLineTests
{
    private sealed class Calls
    {
        public List<string> Log { get; } = [];
        public string[] Arguments { get; set; } = ["(not called)"];
        public bool? Quick { get; set; }
    }

    private static (int Exit, Calls Calls, string Output, string Error) Run(params string[] args)
    {
        var calls = new Calls();
        Func<string[], int> Tool(string name, int exit) => a =>
        {
            calls.Log.Add(name);
            calls.Arguments = a;
            return exit;
        };
        BenchmarkTool[] tools =
        [
            new("quick-gemm", "GEMM check.", true, Tool("quick-gemm", 0)),
            new("int8-hash", "Int8 hash.", false, Tool("int8-hash", 0)),
            new("compare", "Compares.", true, Tool("compare", 1)),
        ];
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchmarkCommandLine.Run(args, tools,
            (a, quick) => { calls.Log.Add("suite"); calls.Arguments = a; calls.Quick = quick; return 0; },
            (a, quick) => { calls.Log.Add("deploy"); calls.Arguments = a; calls.Quick = quick; return 0; },
            output, error);
        return (exit, calls, output.ToString(), error.ToString());
    }

    [Theory]
    // README "Tracking performance" and "Reproduce", .ci/run's Dry smoke run, the perf workflow's quick runs.
    [InlineData(new[] { "--filter", "*" }, false, new[] { "--filter", "*" })]
    [InlineData(new[] { "--filter", "*", "--quick" }, true, new[] { "--filter", "*" })]
    [InlineData(new[] { "--filter", "*", "--job", "short" }, false, new[] { "--filter", "*", "--job", "short" })]
    [InlineData(new[] { "--filter", "*", "--job", "Dry", "--artifacts", "/tmp/fastmlp-bench-dry" }, false,
        new[] { "--filter", "*", "--job", "Dry", "--artifacts", "/tmp/fastmlp-bench-dry" })]
    [InlineData(new[] { "--filter", "*", "--quick", "--artifacts", "/r/perf/base/run1" }, true, new[] { "--filter", "*", "--artifacts", "/r/perf/base/run1" })]
    [InlineData(new[] { "--filter", "*", "--warmupCount", "5", "--iterationCount", "15" }, false,
        new[] { "--filter", "*", "--warmupCount", "5", "--iterationCount", "15" })]
    [InlineData(new[] { "--version", "-j", "Dry", "--job=short", "--list", "flat" }, false, new[] { "--version", "-j", "Dry", "--job=short", "--list", "flat" })]
    public void Without_a_tool_BenchmarkDotNet_gets_its_arguments_unchanged(string[] args, bool quick, string[] expected)
    {
        var (exit, calls, _, error) = Run(args);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(["suite"], calls.Log);
        Assert.Equal(expected, calls.Arguments);
        Assert.Equal(quick, calls.Quick);
    }

    [Fact]
    public void Deploy_takes_quick_and_passes_the_rest_to_BenchmarkDotNet()
    {
        var (exit, calls, _, _) = Run("deploy", "--quick", "--filter", "*Aot*");

        Assert.Equal(0, exit);
        Assert.Equal(["deploy"], calls.Log);
        Assert.Equal(["--filter", "*Aot*"], calls.Arguments);
        Assert.True(calls.Quick);
    }

    [Fact]
    public void A_tool_gets_its_own_arguments_unchanged_and_its_exit_code_is_the_program_s()
    {
        // The perf workflow's gate: compare's exit code 1 (regression) must reach the shell.
        var (exit, calls, _, _) = Run("compare", "/r/perf/base", "/r/perf/head", "--threshold", "10%", "--out", "/r/perf/compare.md");

        Assert.Equal(1, exit);
        Assert.Equal(["compare"], calls.Log);
        Assert.Equal(["/r/perf/base", "/r/perf/head", "--threshold", "10%", "--out", "/r/perf/compare.md"], calls.Arguments);

        (exit, calls, _, _) = Run("quick-gemm", "NN:64x128x784", "TN:784x128x64", "@not-a-response-file");
        Assert.Equal(0, exit);
        Assert.Equal(["NN:64x128x784", "TN:784x128x64", "@not-a-response-file"], calls.Arguments);
    }

    [Fact]
    public void An_unknown_tool_is_one_line_naming_it_and_the_tools_and_runs_nothing()
    {
        var (exit, calls, _, error) = Run("quick-gem", "NN:64x128x784");

        Assert.Equal(BenchmarkCommandLine.UsageError, exit);
        Assert.Empty(calls.Log);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: unknown tool 'quick-gem'", line);
        Assert.Contains("quick-gemm, int8-hash, compare", line);
    }

    [Fact]
    public void A_tool_without_arguments_refuses_one_in_one_line()
    {
        var (exit, calls, _, error) = Run("int8-hash", "extra");

        Assert.Equal(BenchmarkCommandLine.UsageError, exit);
        Assert.Empty(calls.Log);
        Assert.Equal("error: int8-hash takes no arguments, got 'extra' (see 'FastMlp.Benchmarks int8-hash --help')", error.TrimEnd());

        (exit, calls, _, _) = Run("int8-hash");
        Assert.Equal(0, exit);
        Assert.Equal(["int8-hash"], calls.Log);
    }

    [Fact]
    public void Help_lists_every_tool_with_its_description_and_runs_nothing()
    {
        var (exit, calls, output, _) = Run("--help");

        Assert.Equal(0, exit);
        Assert.Empty(calls.Log);
        Assert.Contains("quick-gemm", output);
        Assert.Contains("GEMM check.", output);
        Assert.Contains("Compares.", output);
        Assert.Contains("deploy", output);
        Assert.Contains("--quick", output);
    }
}
