using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace FastMlp.Benchmarks;

/// <summary>The BenchmarkDotNet runs: the suite (default) and the deployment suites (`deploy`).</summary>
internal static class BenchmarkSuite
{
    /// <summary>Runs the suite; <paramref name="args"/> are BenchmarkDotNet's (`--filter`, `--job`, ...).</summary>
    public static int Run(string[] args, bool quick)
    {
        IConfig config = Config(args, quick);
        // The deployment suites need NativeAOT builds and a published CLI: only `deploy` runs them.
        config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains("Deploy")));
        if (!OpenBlas.IsAvailable)
        {
            Console.WriteLine("OpenBLAS (libopenblas.so.0) not found: its cases are skipped. Install with: apt-get install libopenblas-dev");
            config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains("OpenBLAS")));
        }
        BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);
        return 0;
    }

    /// <summary>JIT vs NativeAOT builds (each AOT job compiles its own binary, ~1 min each), then start-up of the CLI.</summary>
    public static int RunDeploy(string[] args, bool quick)
    {
        // One ILC build at a time, each allowed 25 minutes: on a busy 2-core machine they overran BenchmarkDotNet's 5.
        IConfig deploy = DeploymentBenchmarks.Jobs(DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default).AddExporter(JsonExporter.Full)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
            .WithOption(ConfigOptions.DisableParallelBuild, true).WithBuildTimeout(TimeSpan.FromMinutes(25)), BaseJob(quick));
        if (Environment.GetEnvironmentVariable("FASTMLP_DEPLOY_AOT") is null)
        {
            BenchmarkRunner.Run<StartupBenchmarks>(ManualConfig.Create(Config(args, quick)).WithBuildTimeout(TimeSpan.FromMinutes(25)), args);
        }
        BenchmarkRunner.Run<DeploymentBenchmarks>(deploy, args);
        return 0;
    }

    // `--quick`: the PR-gating job — fewer warmups/iterations than the default, but enough iterations
    // (10 per run, pooled over alternating runs) for `compare`'s Mann–Whitney test to have power.
    // 100 ms iterations (BenchmarkDotNet's default is 500 ms) keep the whole quick suite near two minutes.
    private static Job BaseJob(bool quick) => quick
        ? Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100)).WithId("Quick")
        : Job.Default;

    private static IConfig Config(string[] args, bool quick)
    {
        // A command-line `--job` (short, Dry, ...) must replace our job rather than be merged with it —
        // merged, a Dry run still used the default iteration counts. GemmBenchmarks.Setup pins OpenBLAS to
        // one thread anyway, so the environment variable is belt and braces.
        bool commandLineJob = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new GflopsColumn())
            .AddExporter(JsonExporter.Full)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        if (!commandLineJob)
        {
            config = config.AddJob(BaseJob(quick).WithEnvironmentVariables(new EnvironmentVariable("OPENBLAS_NUM_THREADS", "1")).AsDefault());
        }
        return config;
    }
}
