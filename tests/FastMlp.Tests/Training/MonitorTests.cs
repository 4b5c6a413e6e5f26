using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Early stopping watching a validation metric instead of the loss.</summary>
public class MonitorTests
{
    private static (Dataset<float> Train, Dataset<float> Validation) Noisy()
    {
        // Overlapping classes and few rows: the validation metrics wander, so the best epoch is not the last.
        var random = new Random(4);
        int rows = 160;
        var x = new float[rows * 3];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.Next(5) == 0 ? 1 : 0;
            for (int j = 0; j < 3; j++)
            {
                x[3 * r + j] = (float)(random.NextDouble() * 2 + (labels[r] == 1 && j == 0 ? 0.8 : 0));
            }
        }
        Dataset<float> all = Dataset<float>.ForClassification(x, labels, 3, 2, ["no", "yes"]);
        return (all.Slice(0, 60), all.Slice(60, 100));
    }

    private sealed class RocAucPerEpoch(Mlp<float> model, Dataset<float> validation) : IProgress<EpochReport>
    {
        public List<double> Values { get; } = [];

        public void Report(EpochReport value)
        {
            using InferenceModel<float> frozen = model.Freeze();
            Values.Add(frozen.Evaluate(validation).RocAuc);
        }
    }

    [Fact]
    public void Watching_roc_auc_keeps_the_epoch_with_the_highest_roc_auc()
    {
        (Dataset<float> train, Dataset<float> validation) = Noisy();
        var model = new Mlp<float>([3, 32, 2], Activation.Tanh, Activation.Softmax, seed: 3);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(0.03),
            BatchSize = 8,
            Epochs = 60,
            Seed = 1,
            EarlyStopping = new EarlyStopping { Patience = 15, Monitor = EarlyStoppingMetric.RocAuc },
        });
        var perEpoch = new RocAucPerEpoch(model, validation);
        TrainingHistory h = trainer.Fit(train, validation, perEpoch);
        int best = perEpoch.Values.IndexOf(perEpoch.Values.Max());
        Assert.Equal(best, h.BestEpoch);
        Assert.NotEqual(h.EpochCount - 1, best);
        if (h.Status == TrainingStatus.EarlyStopped)
        {
            Assert.Equal(best + 15, h.EpochCount - 1);
        }
        Assert.True(h.RestoredBestWeights);
        Assert.Equal(perEpoch.Values[best], trainer.Evaluate(validation).RocAuc, 12);
        // Watching the loss picks another epoch on the same run.
        var byLoss = new Mlp<float>([3, 32, 2], Activation.Tanh, Activation.Softmax, seed: 3);
        using var lossTrainer = new Trainer<float>(byLoss, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(0.03),
            BatchSize = 8,
            Epochs = 60,
            Seed = 1,
            EarlyStopping = new EarlyStopping { Patience = 15 },
        });
        Assert.NotEqual(best, lossTrainer.Fit(train, validation).BestEpoch);
    }

    [Fact]
    public void Watching_accuracy_keeps_the_first_epoch_with_the_highest_accuracy()
    {
        (Dataset<float> train, Dataset<float> validation) = Noisy();
        var model = new Mlp<float>([3, 32, 2], Activation.Tanh, Activation.Softmax, seed: 5);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(0.03),
            BatchSize = 8,
            Epochs = 40,
            Seed = 2,
            EarlyStopping = new EarlyStopping { Patience = 40, Monitor = EarlyStoppingMetric.Accuracy },
        });
        TrainingHistory h = trainer.Fit(train, validation);
        double[] accuracy = h.ValidationMetric.ToArray();
        Assert.Equal(Array.IndexOf(accuracy, accuracy.Max()), h.BestEpoch);
    }

    [Fact]
    public void A_metric_needs_validation_data_of_its_kind()
    {
        (Dataset<float> train, Dataset<float> validation) = Noisy();
        TrainerOptions<float> Options(EarlyStoppingMetric monitor) => new()
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Epochs = 2,
            EarlyStopping = new EarlyStopping { Patience = 2, Monitor = monitor },
        };
        using var a = new Trainer<float>(new Mlp<float>([3, 4, 2], Activation.Tanh, Activation.Softmax, 1), Options(EarlyStoppingMetric.F1));
        var e = Assert.Throws<ArgumentException>(() => a.Fit(train, null));
        Assert.Equal("validation", e.ParamName);
        Assert.Contains("watches F1, a validation metric, but no validation data", e.Message);
        using var b = new Trainer<float>(new Mlp<float>([3, 4, 2], Activation.Tanh, Activation.Softmax, 1), Options(EarlyStoppingMetric.RSquared));
        Assert.Contains("RSquared, which a classification does not have", Assert.Throws<ArgumentException>(() => b.Fit(train, validation)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<float>(new Mlp<float>([3, 4, 2], Activation.Tanh, Activation.Softmax, 1), Options((EarlyStoppingMetric)99)));
    }

    [Fact]
    public void Losses_are_minimized_and_every_other_metric_maximized()
    {
        EarlyStoppingMetric[] lower = [EarlyStoppingMetric.Loss, EarlyStoppingMetric.LogLoss];
        foreach (EarlyStoppingMetric metric in Enum.GetValues<EarlyStoppingMetric>())
        {
            Assert.Equal(!lower.Contains(metric), new EarlyStopping { Monitor = metric }.HigherIsBetter);
        }
    }
}
