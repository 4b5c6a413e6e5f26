using System.CommandLine;

namespace FastMlp.Benchmarks.CommandLine;

/// <summary>A tool of the benchmarks program: its subcommand name, what it does, and its entry point.</summary>
/// <param name="TakesArguments">
/// Whether the tool reads arguments of its own; they reach <paramref name="Run"/> unchanged (each tool parses them:
/// `compare` has its own options and exit codes, which CI relies on). A tool without arguments refuses any.
/// </param>
internal sealed record BenchmarkTool(string Name, string Description, bool TakesArguments, Func<string[], int> Run);

/// <summary>
/// The benchmarks program's command line: one subcommand per tool, and, without one, the BenchmarkDotNet suite,
/// which receives every argument (<c>--filter</c>, <c>--job</c>, <c>--artifacts</c>, ...) unchanged apart from
/// our own <c>--quick</c>. Kept free of BenchmarkDotNet so that the tests can link it.
/// </summary>
internal static class BenchmarkCommandLine
{
    /// <summary>Exit code for a bad command line (an unknown tool, arguments to a tool that takes none).</summary>
    public const int UsageError = 2;

    public const string ProgramName = "FastMlp.Benchmarks";

    /// <param name="runSuite">Runs BenchmarkDotNet with its arguments; the flag is <c>--quick</c>.</param>
    /// <param name="runDeploy">Runs the deployment suites (NativeAOT builds, CLI start-up) with BenchmarkDotNet's arguments.</param>
    public static int Run(
        string[] args,
        IReadOnlyList<BenchmarkTool> tools,
        Func<string[], bool, int> runSuite,
        Func<string[], bool, int> runDeploy,
        TextWriter output,
        TextWriter error)
    {
        RootCommand root = Build(tools, runSuite, runDeploy);
        // BenchmarkDotNet's arguments are not ours to expand: no @response files.
        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {parse.Errors[0].Message} (see '{ProgramName} {CommandPath(parse)}--help')");
            return UsageError;
        }
        if (parse.CommandResult.Command == root && parse.UnmatchedTokens is [var first, ..] && !first.StartsWith('-'))
        {
            // BenchmarkDotNet takes no positional arguments: a bare word is a mistyped tool.
            error.WriteLine($"error: unknown tool '{first}'; tools: {string.Join(", ", root.Subcommands.Select(c => c.Name))} "
                + $"(see '{ProgramName} --help')");
            return UsageError;
        }
        // System.CommandLine takes the unmatched-token rule from the root only, which lets BenchmarkDotNet's through.
        if (tools.FirstOrDefault(t => t.Name == parse.CommandResult.Command.Name) is { TakesArguments: false } bare
            && parse.UnmatchedTokens.Count > 0)
        {
            error.WriteLine($"error: {bare.Name} takes no arguments, got '{parse.UnmatchedTokens[0]}' (see '{ProgramName} {bare.Name} --help')");
            return UsageError;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    internal static RootCommand Build(IReadOnlyList<BenchmarkTool> tools, Func<string[], bool, int> runSuite, Func<string[], bool, int> runDeploy)
    {
        var root = new RootCommand($"""
            FastMlp's benchmarks (BenchmarkDotNet) and tuning tools.

            Without a tool, runs the BenchmarkDotNet suite; every other argument goes to BenchmarkDotNet unchanged:
              {ProgramName} --filter '*'               # full statistics
              {ProgramName} --filter '*' --quick       # the pull-request gate
              {ProgramName} --filter '*' --job Dry     # smoke test (one iteration per case)
              {ProgramName} --filter '*Gemm*' --artifacts out
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        // `--version` belongs to BenchmarkDotNet's command line, not to ours.
        root.Options.Remove(root.Options.Single(o => o is VersionOption));
        Option<bool> quick = QuickOption();
        root.Options.Add(quick);
        root.SetAction(parse => runSuite([.. parse.UnmatchedTokens], parse.GetValue(quick)));

        var deploy = new Command("deploy", "JIT vs NativeAOT builds and the CLI's start-up (one NativeAOT build per job, "
            + "minutes each); BenchmarkDotNet's arguments as for the suite.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        Option<bool> deployQuick = QuickOption();
        deploy.Options.Add(deployQuick);
        deploy.SetAction(parse => runDeploy([.. parse.UnmatchedTokens], parse.GetValue(deployQuick)));
        root.Subcommands.Add(deploy);

        foreach (BenchmarkTool tool in tools)
        {
            var command = new Command(tool.Name, tool.Description) { TreatUnmatchedTokensAsErrors = false };
            command.SetAction(parse => tool.Run([.. parse.UnmatchedTokens]));
            root.Subcommands.Add(command);
        }
        return root;
    }

    // 3 warmups and 10 iterations of 100 ms: enough iterations (pooled over alternating runs) for `compare`'s
    // Mann–Whitney test to have power, the whole suite near two minutes.
    private static Option<bool> QuickOption() => new("--quick")
    {
        Description = "The pull-request gating job: 3 warmups, 10 iterations of 100 ms (ignored when --job is given).",
    };

    private static string CommandPath(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
}
