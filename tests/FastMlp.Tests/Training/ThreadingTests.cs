using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Threads change speed, never results: weights and predictions are bit-identical for 1, 2 and 3 threads.</summary>
public class ThreadingTests
{
    private static Dataset<float> Data(int rows, int inputs, int classes, int seed)
    {
        var random = new Random(seed);
        float[] x = Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        return Dataset<float>.ForClassification(x, labels, inputs, classes);
    }

    private static float[] Train(int[] sizes, Dataset<float> data, int batch, int threads, Optimizer optimizer)
    {
        var model = new Mlp<float>(sizes, Activation.Tanh, Activation.Softmax, seed: 7);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = optimizer,
            BatchSize = batch,
            Epochs = 3,
            Seed = 3,
            Threads = threads,
        });
        trainer.Fit(data, null);
        return Enumerable.Range(0, model.LayerCount)
            .SelectMany(l => model.GetWeights(l).ToArray().Concat(model.GetBiases(l).ToArray())).ToArray();
    }

    private static Gen<(int Inputs, int Hidden, int Batch, int Seed)> Shapes =>
        from inputs in Gen.Choose(100, 400)
        from hidden in Gen.Choose(40, 200)
        from batch in Gen.Elements(17, 32, 64, 100)
        from seed in Gen.Choose(0, 10_000)
        select (inputs, hidden, batch, seed);

    [Property(MaxTest = 6)]
    public Property Weights_after_several_epochs_are_bit_identical_for_one_two_and_three_threads() =>
        Prop.ForAll(Shapes.ToArbitrary(), s =>
        {
            int[] sizes = [s.Inputs, s.Hidden, 10];
            Dataset<float> data = Data(300, s.Inputs, 10, s.Seed);
            float[] one = Train(sizes, data, s.Batch, 1, Optimizer.Sgd(0.05, 0.9));
            float[] two = Train(sizes, data, s.Batch, 2, Optimizer.Sgd(0.05, 0.9));
            float[] three = Train(sizes, data, s.Batch, 3, Optimizer.Adam(1e-3));
            float[] threeSgd = Train(sizes, data, s.Batch, 3, Optimizer.Sgd(0.05, 0.9));
            return (one.AsSpan().SequenceEqual(two) && one.AsSpan().SequenceEqual(threeSgd) && !one.AsSpan().SequenceEqual(three))
                .Label($"{s}");
        });

    [Fact]
    public void Predictions_are_bit_identical_for_one_and_two_threads()
    {
        var model = new Mlp<float>([300, 256, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        var random = new Random(2);
        float[] x = Enumerable.Range(0, 64 * 300).Select(_ => (float)random.NextDouble()).ToArray();
        float[] one = new float[64 * 10], two = new float[64 * 10];
        InferenceModel<float> single = model.Freeze();
        using InferenceModel<float> dual = model.Freeze(threads: 2);
        Assert.Equal(2, dual.Threads);
        single.Predict(x, one, 64);
        dual.Predict(x, two, 64);
        Assert.True(one.AsSpan().SequenceEqual(two));
    }

    [Fact]
    public void A_step_with_two_threads_allocates_nothing()
    {
        var model = new Mlp<float>([784, 256, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.1, 0.9),
            BatchSize = 64,
            Threads = 2,
        });
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 64 * 784).Select(_ => (float)random.NextDouble()).ToArray();
        float[] y = new float[64 * 10];
        for (int r = 0; r < 64; r++) y[(r * 10) + random.Next(10)] = 1;
        for (int i = 0; i < 3; i++) trainer.Step(x, y, 64);
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 20; i++) trainer.Step(x, y, 64);
        }, "two-thread Step", Allocations.PoolOf(trainer));
    }

    [Fact]
    public void Zero_threads_is_rejected_by_name()
    {
        var model = new Mlp<float>([2, 2], Activation.ReLU, Activation.Identity, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<float>(model, new TrainerOptions<float> { Threads = 0 }));
        Assert.Contains("Threads", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Freeze(0));
    }
}
