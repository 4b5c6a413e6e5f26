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

IConfig config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(new GflopsColumn())
    .AddExporter(JsonExporter.Full)
    .AddJob(Job.Default.WithEnvironmentVariables(new EnvironmentVariable("OPENBLAS_NUM_THREADS", "1")).AsDefault())
    .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
if (!OpenBlas.IsAvailable)
{
    Console.WriteLine("OpenBLAS (libopenblas.so.0) not found: its cases are skipped. Install with: apt-get install libopenblas-dev");
    config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains("OpenBLAS")));
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);
return 0;
