using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// Bit-identical results for 1, 2 and 3 threads on shapes chosen so that every parallel path runs:
/// the split optimizer update (≥ 2 × 32,768 parameters), GEMMs split by columns (hidden layers) and by
/// rows (the 10-wide output layer: too narrow to split by columns), the GEMV split (one-row inference),
/// in float and double, with ReLU and Adam as well as tanh and Nesterov SGD. Each case asserts the
/// sizes that select its path, so a change of thresholds cannot make it test the one-thread path only.
/// </summary>
public class ParallelPathTests
{
    private const int Batch = 256, Inputs = 400;

    public static TheoryData<string> Cases => ["float relu adam", "float tanh nesterov", "double relu adamw", "double tanh sgd"];

    private static T[] TrainWith<T>(string name, int threads) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool relu = name.Contains("relu");
        int[] sizes = [Inputs, 256, 10];
        var model = new Mlp<T>(sizes, relu ? Activation.ReLU : Activation.Tanh, Activation.Softmax, seed: 11);
        Optimizer optimizer = name.Split(' ')[2] switch
        {
            "adam" => Optimizer.Adam(1e-3, weightDecay: 1e-3),
            "adamw" => Optimizer.AdamW(1e-3),
            "nesterov" => Optimizer.Sgd(0.05, 0.9, nesterov: true, weightDecay: 1e-4),
            _ => Optimizer.Sgd(0.1),
        };
        using var trainer = new Trainer<T>(model, new TrainerOptions<T>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = optimizer,
            BatchSize = Batch,
            Threads = threads,
        });
        var random = new Random(12);
        T[] x = Enumerable.Range(0, Batch * Inputs).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        var y = new T[Batch * 10];
        for (int r = 0; r < Batch; r++) y[(r * 10) + random.Next(10)] = T.One;
        for (int step = 0; step < 4; step++)
        {
            trainer.Step(x, y, Batch);
        }
        return model.Parameters.ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_steps_are_bit_identical_for_one_two_and_three_threads(string name)
    {
        // The sizes that select the parallel paths (thresholds in ParallelOptimizerUpdate and GemmDriver).
        int parameters = (Inputs * 256) + 256 + (256 * 10) + 10;
        Assert.True(parameters >= 3 * ParallelOptimizerUpdate<float>.MinimumPerPart, "update splits over 3 threads");
        Assert.True(2.0 * Batch * 10 * 256 >= 1e6, "the output layer's products (n = 10) are large enough to split by rows");
        Assert.True(10 < 2 * 16, "the output layer is narrower than two column panels");

        if (name.StartsWith("float", StringComparison.Ordinal))
        {
            Same(TrainWith<float>(name, 1), TrainWith<float>(name, 2), TrainWith<float>(name, 3), name);
        }
        else
        {
            Same(TrainWith<double>(name, 1), TrainWith<double>(name, 2), TrainWith<double>(name, 3), name);
        }
    }

    private static void Same<T>(T[] one, T[] two, T[] three, string name) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.True(one.AsSpan().SequenceEqual(two), $"{name}: 2 threads differ from 1");
        Assert.True(one.AsSpan().SequenceEqual(three), $"{name}: 3 threads differ from 1");
        Assert.All(one, v => Assert.True(T.IsFinite(v)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void Predictions_are_bit_identical_for_one_two_and_three_threads(int rows)
    {
        // 784 → 1024: a one-row product of 2·784·1024 ≈ 1.6 MFLOP, above the split threshold, so the
        // GEMV path splits too; 7 and 64 rows take the row-tile and column splits.
        var model = new Mlp<double>([784, 1024, 10], Activation.ReLU, Activation.Softmax, seed: 4);
        var random = new Random(rows);
        double[] x = Enumerable.Range(0, rows * 784).Select(_ => random.NextDouble()).ToArray();
        double[] one = new double[rows * 10], two = new double[rows * 10], three = new double[rows * 10];
        model.Freeze().Predict(x, one, rows);
        using (InferenceModel<double> dual = model.Freeze(threads: 2)) dual.Predict(x, two, rows);
        using (InferenceModel<double> triple = model.Freeze(threads: 3)) triple.Predict(x, three, rows);
        Assert.True(one.AsSpan().SequenceEqual(two));
        Assert.True(one.AsSpan().SequenceEqual(three));
        Assert.Equal(rows, one.Sum(), 9);
    }
}
