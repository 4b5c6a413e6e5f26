using BenchmarkDotNet.Attributes;

namespace FastMlp.Benchmarks;

/// <summary>
/// The cost of the trainer's concurrency guard (one interlocked operation per call): the shipped
/// <see cref="TrainStepBenchmarks.Step"/> against the same step without the guard, side by side in one run,
/// and the guard's enter/exit pair alone.
/// </summary>
[BenchmarkCategory("Guard")]
public class StepGuardBenchmarks : TrainStepBenchmarks
{
    private readonly ExclusiveUse _guard = new("Trainer");

    [Benchmark(Baseline = true)]
    public float StepUnguarded()
    {
        int i = _next;
        _next = (i + 1) & (_x.Length - 1);
        return _trainer.StepUnguarded(_x[i], _y[i], _batch);
    }

    [Benchmark]
    public bool GuardOnly()
    {
        _guard.Enter("Step");
        return _guard.Exit();
    }
}
