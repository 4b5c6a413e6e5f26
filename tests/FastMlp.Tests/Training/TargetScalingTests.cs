using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>TrainerOptions.StandardizeTargets: per-column standardized training, folded back into the output layer.</summary>
public sealed class TargetScalingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastmlp-targets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Two targets on very different scales: y₀ = x₀ − x₁ (≈ 1) and y₁ = 5000 + 800·(x₀ + x₁) (≈ 1000).</summary>
    private static (Dataset<float> Train, Dataset<float> Validation) TwoScales()
    {
        var random = new Random(11);
        int rows = 240;
        var x = new float[rows * 2];
        var y = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            float a = (float)(random.NextDouble() * 2 - 1), b = (float)(random.NextDouble() * 2 - 1);
            (x[2 * r], x[2 * r + 1]) = (a, b);
            (y[2 * r], y[2 * r + 1]) = (a - b, 5000 + 800 * (a + b));
        }
        Dataset<float> all = Dataset<float>.ForRegression(x, y, 2, 2);
        return (all.Slice(0, 200), all.Slice(200, 40));
    }

    private static TrainerOptions<float> Options(bool standardizeTargets, int epochs = 60, string? checkpoints = null) => new()
    {
        Loss = Loss.MeanSquaredError,
        Optimizer = Optimizer.Adam(0.01),
        BatchSize = 20,
        Epochs = epochs,
        Seed = 3,
        StandardizeTargets = standardizeTargets,
        CheckpointEvery = checkpoints is null ? 0 : 1,
        CheckpointDirectory = checkpoints,
    };

    private static Mlp<float> NewModel() => new([2, 16, 2], Activation.Tanh, Activation.Identity, seed: 5);

    [Fact]
    public void Each_target_column_is_learned_in_its_own_units()
    {
        (Dataset<float> train, Dataset<float> validation) = TwoScales();
        Mlp<float> model = NewModel();
        using var trainer = new Trainer<float>(model, Options(true));
        trainer.Fit(train, validation);
        float[] prediction = new float[2];
        model.Freeze().Predict([0.5f, -0.25f], prediction, 1);
        Assert.Equal(0.75, prediction[0], 0.1);
        Assert.Equal(5200, prediction[1], 20.0);
        // Without standardization the same run learns the small column badly: its errors are swamped by the big one's.
        double standardized = trainer.Evaluate(validation).RSquared, plain;
        using (var raw = new Trainer<float>(NewModel(), Options(false)))
        {
            raw.Fit(train, validation);
            plain = raw.Evaluate(validation).RSquared;
        }
        Assert.True(standardized > 0.98, $"standardized R² {standardized}");
        Assert.True(standardized > plain + 0.3, $"standardized R² {standardized}, plain {plain}");
    }

    [Fact]
    public void Fit_equals_training_on_standardized_targets_and_folding_by_hand()
    {
        (Dataset<float> train, Dataset<float> validation) = TwoScales();
        Mlp<float> model = NewModel();
        using (var trainer = new Trainer<float>(model, Options(true, epochs: 5)))
        {
            trainer.Fit(train, validation);
        }
        // By hand: per-column mean and population standard deviation of the training targets.
        float[] y = train.Targets.ToArray();
        double[] mean = new double[2], std = new double[2];
        for (int k = 0; k < 2; k++)
        {
            double[] column = Enumerable.Range(0, train.Rows).Select(r => (double)y[2 * r + k]).ToArray();
            mean[k] = column.Average();
            std[k] = Math.Sqrt(column.Sum(v => (v - mean[k]) * (v - mean[k])) / column.Length);
        }
        Dataset<float> Scaled(Dataset<float> d)
        {
            float[] t = d.Targets.ToArray();
            for (int i = 0; i < t.Length; i++) t[i] = (float)((t[i] - mean[i % 2]) / std[i % 2]);
            return Dataset<float>.ForRegression(d.Features.Span, t, 2, 2);
        }
        Mlp<float> byHand = NewModel();
        using (var trainer = new Trainer<float>(byHand, Options(false, epochs: 5)))
        {
            trainer.Fit(Scaled(train), Scaled(validation));
        }
        float[] w = byHand.GetWeights(1).ToArray(), b = byHand.GetBiases(1).ToArray();
        for (int i = 0; i < w.Length; i++) w[i] = (float)(w[i] * std[i % 2]);
        for (int k = 0; k < 2; k++) b[k] = (float)(b[k] * std[k] + mean[k]);
        Assert.Equal(byHand.GetWeights(0).ToArray(), model.GetWeights(0).ToArray());
        Assert.Equal(w, model.GetWeights(1).ToArray());
        Assert.Equal(b, model.GetBiases(1).ToArray());
    }

    [Fact]
    public void A_second_fit_continues_from_the_first_in_standardized_units()
    {
        (Dataset<float> train, Dataset<float> validation) = TwoScales();
        Mlp<float> model = NewModel();
        using var trainer = new Trainer<float>(model, Options(true, epochs: 60));
        trainer.Fit(train, validation);
        double first = trainer.Evaluate(validation).MeanSquaredError;
        TrainingHistory second = trainer.Fit(train, validation);
        // Its first epoch starts where the first fit ended (a standardized loss well below 1), not from a model
        // whose output layer still holds the original units (a standardized loss in the millions).
        Assert.True(second.TrainLoss[0] < 0.05, $"second fit's first loss {second.TrainLoss[0]}");
        Assert.True(trainer.Evaluate(validation).MeanSquaredError <= first * 1.5);
    }

    [Fact]
    public void Checkpoint_and_resume_end_bit_identical_to_an_uninterrupted_fit()
    {
        (Dataset<float> train, Dataset<float> validation) = TwoScales();
        Mlp<float> reference = NewModel();
        using (var trainer = new Trainer<float>(reference, Options(true, epochs: 8)))
        {
            trainer.Fit(train, validation);
        }
        using (var trainer = new Trainer<float>(NewModel(), Options(true, epochs: 3, checkpoints: _directory)))
        {
            trainer.Fit(train, validation);
        }
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(true, epochs: 8, checkpoints: _directory));
        resumed.Fit(train, validation);
        Assert.True(reference.Parameters.SequenceEqual(resumed.Model.Parameters), "resumed run differs from the uninterrupted one");
        var e = Assert.Throws<ArgumentException>(() => Trainer<float>.Resume(_directory, Options(false, epochs: 9, checkpoints: _directory)));
        Assert.Contains("standardize_targets: checkpoint True, now False", e.Message);
    }

    [Fact]
    public void A_non_identity_output_is_refused_and_classification_data_is_left_alone()
    {
        var sigmoid = new Mlp<float>([2, 3, 1], Activation.Tanh, Activation.Sigmoid, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(sigmoid, Options(true)));
        Assert.Equal("options.StandardizeTargets", e.ParamName);
        Assert.Contains("Sigmoid", e.Message);

        Dataset<float> classes = Dataset<float>.ForClassification([0, 0, 1, 1, 0, 1, 1, 0], [0, 1, 1, 0], 2, 2);
        Mlp<float> a = new([2, 4, 2], Activation.Tanh, Activation.Identity, seed: 2), b = a.Clone();
        using (var t = new Trainer<float>(a, Options(true, epochs: 3))) t.Fit(classes, null);
        using (var t = new Trainer<float>(b, Options(false, epochs: 3))) t.Fit(classes, null);
        Assert.Equal(b.Parameters.ToArray(), a.Parameters.ToArray());
    }
}
