using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FastMlp.Benchmarks;

if (args.Length > 0 && args[0] == "quick-gemm")
{
    return QuickCheck.Run(args[1..]);
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
Job baseJob = quick ? Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1).WithId("Quick") : Job.Default;

IConfig config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(new GflopsColumn())
    .AddExporter(JsonExporter.Full)
    .AddJob(baseJob.WithEnvironmentVariables(new EnvironmentVariable("OPENBLAS_NUM_THREADS", "1")).AsDefault())
    .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
if (!OpenBlas.IsAvailable)
{
    Console.WriteLine("OpenBLAS (libopenblas.so.0) not found: its cases are skipped. Install with: apt-get install libopenblas-dev");
    config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains("OpenBLAS")));
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);
return 0;
