using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FastMlp.Benchmarks;

if (args.Length > 0 && args[0] == "quick-gemm")
{
    return QuickCheck.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "int8-hash")
{
    return QuickInt8.Hash();
}
if (args.Length > 0 && args[0] == "quick-int8")
{
    return QuickInt8.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "mnist-best")
{
    return MnistBest.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "quick-threads")
{
    return QuickCheck.RunThreads(args[1..]);
}
if (args.Length > 0 && args[0] == "profile-step")
{
    return StepProfile.Run();
}
if (args.Length > 0 && args[0] == "quick-train")
{
    return QuickCheck.RunTraining();
}
if (args.Length > 0 && args[0] == "publish-results")
{
    return ResultsPublisher.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "compare")
{
    return CompareCommand.Run(args[1..]);
}

// `--quick`: the PR-gating job — fewer warmups/iterations than the default, but enough iterations
// (10 per run, pooled over alternating runs) for `compare`'s Mann–Whitney test to have power.
// BenchmarkDotNet's own `--job short` / `--job Dry` also work (Dry = one iteration: a smoke test).
bool quick = args.Contains("--quick");
args = args.Where(a => a != "--quick").ToArray();
// 100 ms iterations (BenchmarkDotNet's default is 500 ms) keep the whole quick suite near two minutes.
Job baseJob = quick
    ? Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100)).WithId("Quick")
    : Job.Default;

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
    config = config.AddJob(baseJob.WithEnvironmentVariables(new EnvironmentVariable("OPENBLAS_NUM_THREADS", "1")).AsDefault());
}
if (args.Length > 0 && args[0] == "deploy")
{
    // JIT vs NativeAOT builds (each AOT job compiles its own binary, ~1 min each), then start-up of the CLI.
    // One ILC build at a time, each allowed 25 minutes: on a busy 2-core machine they overran BenchmarkDotNet's 5.
    IConfig deploy = DeploymentBenchmarks.Jobs(DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default).AddExporter(JsonExporter.Full)
        .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
        .WithOption(ConfigOptions.DisableParallelBuild, true).WithBuildTimeout(TimeSpan.FromMinutes(25)), baseJob);
    if (Environment.GetEnvironmentVariable("FASTMLP_DEPLOY_AOT") is null)
    {
        BenchmarkRunner.Run<StartupBenchmarks>(ManualConfig.Create(config).WithBuildTimeout(TimeSpan.FromMinutes(25)), args[1..]);
    }
    BenchmarkRunner.Run<DeploymentBenchmarks>(deploy, args[1..]);
    return 0;
}
// The deployment suites need NativeAOT builds and a published CLI: only `deploy` runs them.
config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains("Deploy")));
if (!OpenBlas.IsAvailable)
{
    Console.WriteLine("OpenBLAS (libopenblas.so.0) not found: its cases are skipped. Install with: apt-get install libopenblas-dev");
    config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains("OpenBLAS")));
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);
return 0;
