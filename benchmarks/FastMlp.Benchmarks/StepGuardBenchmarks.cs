using BenchmarkDotNet.Attributes;

namespace FastMlp.Benchmarks;

/// <summary>
/// The cost of the trainer's concurrency guard (two interlocked operations per call): the shipped
/// <see cref="TrainStepBenchmarks.Step"/> against the same step without the guard, side by side in one run.
/// </summary>
[BenchmarkCategory("Guard")]
public class StepGuardBenchmarks : TrainStepBenchmarks
{
    [Benchmark(Baseline = true)]
    public float StepUnguarded()
    {
        int i = _next;
        _next = (i + 1) & (_x.Length - 1);
        return _trainer.StepUnguarded(_x[i], _y[i], _batch);
    }
}
