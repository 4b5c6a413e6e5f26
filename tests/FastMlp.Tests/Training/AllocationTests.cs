using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>After warm-up, Step, the Fit epoch loop and Predict allocate no managed memory.</summary>
public class AllocationTests
{
    private static (float[] X, float[] Y) Batch(int rows, int inputs, int outputs)
    {
        var random = new Random(1);
        float[] x = Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble()).ToArray();
        var y = new float[rows * outputs];
        for (int r = 0; r < rows; r++)
        {
            y[r * outputs + random.Next(outputs)] = 1;
        }
        return (x, y);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void Step_allocates_nothing(string optimizer)
    {
        var model = new Mlp<float>([64, 32, 10], Activation.ReLU, Activation.Softmax, 1);
        Optimizer o = optimizer switch { "sgd" => Optimizer.Sgd(0.1), "momentum" => Optimizer.Sgd(0.1, 0.9), _ => Optimizer.Adam() };
        using var trainer = new Trainer<float>(model, new TrainerOptions<float> { Loss = Loss.SoftmaxCrossEntropy, Optimizer = o, BatchSize = 32 });
        (float[] x, float[] y) = Batch(32, 64, 10);
        for (int i = 0; i < 5; i++)
        {
            trainer.Step(x, y, 32);
        }
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                trainer.Step(x, y, 32);
            }
        }, $"Step with {optimizer}");
    }

    [Fact]
    public void Tiny_network_step_allocates_nothing()
    {
        var model = new Mlp<float>([1, 1], Activation.Identity, Activation.Identity, 1);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float> { Optimizer = Optimizer.Sgd(0.01), BatchSize = 10 });
        float[] x = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        float[] y = x.Select(v => 2 * v + 1).ToArray();
        trainer.Step(x, y, 10);
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                trainer.Step(x, y, 10);
            }
        }, "tiny network Step");
    }

    private sealed class CountingProgress : IProgress<EpochReport>
    {
        public long AllocatedAtFirst = -1, AllocatedAtLast;

        public void Report(EpochReport value)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (AllocatedAtFirst < 0) AllocatedAtFirst = now;
            AllocatedAtLast = now;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_epoch_loop_allocates_nothing(bool withEverything)
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 500 * 20).Select(_ => (float)random.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, 500).Select(_ => random.Next(4)).ToArray();
        Dataset<float>[] parts = Dataset<float>.ForClassification(x, labels, 20, 4).Split(1, 0.8, 0.2);
        TrainerOptions<float> Options() => new()
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(1e-3),
            BatchSize = 32,
            Epochs = 20,
            Schedule = withEverything ? LearningRateSchedule.ReduceOnPlateau(patience: 2) : null,
            EarlyStopping = withEverything ? new EarlyStopping { Patience = 1000 } : null,
            Standardize = withEverything,
            ClassWeights = withEverything ? ClassWeights.Balanced() : null,
            Dropout = withEverything ? 0.25 : 0,
        };
        if (withEverything)
        {
            // Weighted losses too: per-row sample weights times balanced class weights.
            parts[0] = parts[0].WithSampleWeights(Enumerable.Range(0, parts[0].Rows).Select(r => 0.5f + r % 3).ToArray());
        }
        // A whole identical fit first, then the JIT left to settle: tier-up can allocate once, late, on a busy machine.
        using (var warmUp = new Trainer<float>(new Mlp<float>([20, 16, 4], Activation.Tanh, Activation.Softmax, 1), Options()))
        {
            warmUp.Fit(parts[0], withEverything ? parts[1] : null, new CountingProgress());
        }
        JitQuiet.Wait();
        var model = new Mlp<float>([20, 16, 4], Activation.Tanh, Activation.Softmax, 1);
        using var trainer = new Trainer<float>(model, Options());
        var progress = new CountingProgress();
        TrainingHistory h = trainer.Fit(parts[0], withEverything ? parts[1] : null, progress);
        Assert.Equal(20, h.EpochCount);
        // Between the first epoch's report and the last one: 19 whole epochs, validation included.
        Assert.Equal(0, progress.AllocatedAtLast - progress.AllocatedAtFirst);
    }

    [Fact]
    public void Predict_allocates_nothing()
    {
        var model = new Mlp<float>([64, 32, 10], Activation.ReLU, Activation.Softmax, 1);
        InferenceModel<float> frozen = model.Freeze();
        var x = new float[64 * 8];
        var y = new float[10 * 8];
        frozen.Predict(x.AsSpan(0, 64), y.AsSpan(0, 10));
        frozen.Predict(x, y, 8);
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                frozen.Predict(x.AsSpan(0, 64), y.AsSpan(0, 10));
                frozen.Predict(x, y, 8);
            }
        }, "Predict");
    }
}
