using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// A trainer is used by one thread at a time (a second concurrent call throws) and its native memory is never freed
/// while in use: Dispose racing Fit, Predict or a packed multiply, 200 times each, in a child process so a crash
/// fails the test instead of killing the test run.
/// </summary>
public class ConcurrencyTests
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void Dispose_during_Fit_on_another_thread_then_Trim_200_times_never_touches_freed_memory()
    {
        ChildProcess.Result result = ChildProcess.Run(ChildTimeout, "dispose-during-fit", "200");
        Assert.True(result.ExitCode == 0, $"child exit {result.ExitCode}: {result.Error}\n{result.Output}");
        // The race was exercised: some fits were stopped while running (not all disposed before they began).
        int stopped = int.Parse(result.Output.Split("stopped mid-fit ")[1].Split(',')[0]);
        Assert.True(stopped >= 20, result.Output);
    }

    [Fact]
    public void Dispose_during_multithreaded_Predict_200_times_never_crashes()
    {
        ChildProcess.Result result = ChildProcess.Run(ChildTimeout, "dispose-during-predict", "200");
        Assert.True(result.ExitCode == 0, $"child exit {result.ExitCode}: {result.Error}\n{result.Output}");
    }

    [Fact]
    public void Dispose_during_packed_multiply_200_times_waits_for_the_multiply()
    {
        ChildProcess.Result result = ChildProcess.Run(ChildTimeout, "dispose-during-packed-multiply", "200");
        Assert.True(result.ExitCode == 0, $"child exit {result.ExitCode}: {result.Error}\n{result.Output}");
        Assert.Contains("multiply stopped by dispose", result.Output);
    }

    private static (Trainer<float> Trainer, Dataset<float> Data) Setup(int epochs = 3)
    {
        var random = new Random(3);
        float[] x = [.. Enumerable.Range(0, 200 * 8).Select(_ => (float)random.NextDouble())];
        float[] y = [.. Enumerable.Range(0, 200).Select(_ => (float)random.NextDouble())];
        var model = new Mlp<float>([8, 16, 1], Activation.Tanh, Activation.Identity, seed: 1);
        var trainer = new Trainer<float>(model, new TrainerOptions<float> { Epochs = epochs, BatchSize = 20 });
        return (trainer, Dataset<float>.ForRegression(x, y, 8));
    }

    [Fact]
    public void Step_while_Fit_runs_on_another_thread_throws_InvalidOperationException()
    {
        (Trainer<float> trainer, Dataset<float> data) = Setup();
        using (trainer)
        {
            using var inFit = new ManualResetEventSlim();
            using var attempted = new ManualResetEventSlim();
            var progress = new SynchronousProgress(_ =>
            {
                inFit.Set();
                attempted.Wait();
            });
            var fit = new BackgroundCall<TrainingHistory>(() => trainer.Fit(data, null, progress));
            Assert.True(inFit.Wait(TimeSpan.FromSeconds(30)));
            var x = new float[8];
            var y = new float[1];
            var step = Assert.Throws<InvalidOperationException>(() => trainer.Step(x, y, 1));
            var evaluate = Assert.Throws<InvalidOperationException>(() => trainer.Evaluate(data));
            var secondFit = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data, null));
            attempted.Set();
            Assert.Equal(TrainingStatus.Completed, fit.Join().Status);
            Assert.Contains("Trainer.Step was called on thread", step.Message);
            Assert.Contains("while Trainer.Fit is running on thread", step.Message);
            Assert.Contains("Trainer.Evaluate", evaluate.Message);
            Assert.Contains("Trainer.Fit was called", secondFit.Message);
            // After the fit, the trainer is free again.
            trainer.Step(x, y, 1);
        }
    }

    [Fact]
    public void Step_from_the_fits_own_progress_callback_throws_InvalidOperationException()
    {
        (Trainer<float> trainer, Dataset<float> data) = Setup();
        using (trainer)
        {
            Exception? fromCallback = null;
            var progress = new SynchronousProgress(_ =>
            {
                fromCallback ??= Record.Exception(() => trainer.Step(new float[8], new float[1], 1));
            });
            trainer.Fit(data, null, progress);
            var e = Assert.IsType<InvalidOperationException>(fromCallback);
            Assert.Contains("on the same thread", e.Message);
        }
    }

    [Fact]
    public void Dispose_from_another_thread_stops_Fit_at_the_next_batch_and_returns_after_freeing()
    {
        (Trainer<float> trainer, Dataset<float> data) = Setup(epochs: 1000);
        using var inFit = new ManualResetEventSlim();
        var fit = new BackgroundCall<TrainingHistory>(() => trainer.Fit(data, null, new SynchronousProgress(_ => inFit.Set())));
        Assert.True(inFit.Wait(TimeSpan.FromSeconds(30)));
        trainer.Dispose();
        // Dispose returned: the fit has already stopped, with an ObjectDisposedException on its own thread.
        Assert.True(fit.Finished, "Dispose returned while Fit was still running");
        var e = Assert.Throws<ObjectDisposedException>(() => fit.Join());
        Assert.Contains("disposed while Fit was running", e.Message);
        Assert.Throws<ObjectDisposedException>(() => trainer.Step(new float[8], new float[1], 1));
        trainer.Dispose(); // idempotent
    }

    [Fact]
    public void Dispose_from_the_fits_own_progress_callback_stops_the_fit_without_deadlock()
    {
        (Trainer<float> trainer, Dataset<float> data) = Setup(epochs: 50);
        int reports = 0;
        var e = Assert.Throws<ObjectDisposedException>(() => trainer.Fit(data, null, new SynchronousProgress(_ =>
        {
            reports++;
            trainer.Dispose();
        })));
        Assert.Equal(1, reports);
        Assert.Contains("disposed while Fit was running", e.Message);
        Assert.Throws<ObjectDisposedException>(() => trainer.Evaluate(data));
    }

    [Fact]
    public void Fit_after_Dispose_throws_ObjectDisposedException_naming_the_call()
    {
        (Trainer<float> trainer, Dataset<float> data) = Setup();
        trainer.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => trainer.Fit(data, null));
        Assert.Contains("Trainer.Fit was called after the Trainer was disposed", e.Message);
    }

    [Fact]
    public void Guarded_Step_allocates_nothing()
    {
        (Trainer<float> trainer, _) = Setup();
        using (trainer)
        {
            float[] x = new float[8 * 4], y = new float[4];
            Allocations.AssertNone(() =>
            {
                for (int i = 0; i < 100; i++) trainer.Step(x, y, 4);
            }, "Step");
        }
    }

    /// <summary>A call on a thread of its own; <see cref="Join"/> returns its result or rethrows its exception.</summary>
    private sealed class BackgroundCall<TResult>
    {
        private readonly Thread _thread;
        private TResult? _result;
        private Exception? _failure;
        private volatile bool _finished;

        public BackgroundCall(Func<TResult> call)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    _result = call();
                }
                catch (Exception e)
                {
                    _failure = e;
                }
                _finished = true;
            });
            _thread.Start();
        }

        /// <summary>Whether the call has returned or thrown (its thread may still be unwinding).</summary>
        public bool Finished => _finished || _thread.Join(TimeSpan.FromMilliseconds(200));

        public TResult Join()
        {
            _thread.Join();
            if (_failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            }
            return _result!;
        }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
