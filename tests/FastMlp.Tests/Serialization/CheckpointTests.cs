using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>An interrupted fit resumed from its last checkpoint ends with exactly the weights of an uninterrupted one.</summary>
public class CheckpointTests
{
    private sealed class CrashAt(int epoch, Action? crash = null) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == epoch)
            {
                if (crash is null) throw new SimulatedCrash();
                crash();
            }
        }
    }

    private sealed class SimulatedCrash : Exception;

    internal static (Dataset<float> Train, Dataset<float> Validation) Classification()
    {
        var random = new Random(3);
        int rows = 150, features = 4;
        var x = new float[rows * features];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = r % 3;
            for (int j = 0; j < features; j++)
            {
                x[r * features + j] = (float)(random.NextDouble() * 2 + labels[r] * (j % 2 == 0 ? 1.5 : -0.7) + 10);
            }
        }
        Dataset<float> all = Dataset<float>.ForClassification(x, labels, features, 3, ["red", "green", "blue"]);
        return (all.Slice(0, 120), all.Slice(120, 30));
    }

    internal static TrainerOptions<float> AdamOptions(string? directory, int every) => new()
    {
        Loss = Loss.SoftmaxCrossEntropy,
        Optimizer = Optimizer.Adam(0.01),
        BatchSize = 16,
        Epochs = 9,
        Seed = 42,
        Standardize = true,
        Schedule = LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 1),
        EarlyStopping = new EarlyStopping { Patience = 50, RestoreBestWeights = true },
        CheckpointEvery = every,
        CheckpointDirectory = directory,
    };

    [Fact]
    public void Crash_and_resume_with_adam_plateau_and_early_stopping_is_bit_identical()
    {
        (Dataset<float> train, Dataset<float> validation) = Classification();
        Mlp<float> reference = new([4, 8, 3], Activation.Tanh, Activation.Softmax, seed: 1);
        using (var trainer = new Trainer<float>(reference, AdamOptions(null, 0)))
        {
            trainer.Fit(train, validation);
        }

        string directory = Directory.CreateTempSubdirectory("fastmlp-ckpt-").FullName;
        try
        {
            Mlp<float> interrupted = new([4, 8, 3], Activation.Tanh, Activation.Softmax, seed: 1);
            using (var trainer = new Trainer<float>(interrupted, AdamOptions(directory, 2)))
            {
                // Crash while epoch 5 reports: the last checkpoint is the one after epoch 3 (4 finished).
                Assert.Throws<SimulatedCrash>(() => trainer.Fit(train, validation, new CrashAt(5)));
            }
            using Trainer<float> resumed = Trainer<float>.Resume(directory, AdamOptions(directory, 2));
            TrainingHistory history = resumed.Fit(train, validation);
            Assert.Equal(9, history.EpochCount);
            Assert.True(reference.Parameters.SequenceEqual(resumed.Model.Parameters), "resumed weights differ from the uninterrupted run");
            Assert.Equal(["red", "green", "blue"], resumed.Model.ClassNames);
            Assert.Equal(Loss.SoftmaxCrossEntropy, resumed.Model.Loss);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Cancel_and_resume_with_sgd_momentum_and_a_step_schedule_is_bit_identical()
    {
        (Dataset<float> train, _) = Classification();
        TrainerOptions<float> Options(string? directory) => new()
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.05, momentum: 0.9, nesterov: true),
            BatchSize = 7,
            Epochs = 7,
            Seed = 9,
            Schedule = LearningRateSchedule.Step(2, 0.5),
            CheckpointEvery = directory is null ? 0 : 3,
            CheckpointDirectory = directory,
        };
        Mlp<float> reference = new([4, 6, 3], Activation.ReLU, Activation.Softmax, seed: 2);
        using (var trainer = new Trainer<float>(reference, Options(null)))
        {
            trainer.Fit(train, null);
        }
        string directory = Directory.CreateTempSubdirectory("fastmlp-ckpt-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource();
            Mlp<float> interrupted = new([4, 6, 3], Activation.ReLU, Activation.Softmax, seed: 2);
            using (var trainer = new Trainer<float>(interrupted, Options(directory)))
            {
                Assert.Equal(TrainingStatus.Cancelled, trainer.Fit(train, null, new CrashAt(4, cancel.Cancel), cancel.Token).Status);
            }
            using Trainer<float> resumed = Trainer<float>.Resume(directory, Options(directory));
            Assert.Equal(TrainingStatus.Completed, resumed.Fit(train, null).Status);
            Assert.True(reference.Parameters.SequenceEqual(resumed.Model.Parameters));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Resume_rejects_other_options_and_plain_model_files()
    {
        (Dataset<float> train, Dataset<float> validation) = Classification();
        string directory = Directory.CreateTempSubdirectory("fastmlp-ckpt-").FullName;
        try
        {
            var model = new Mlp<float>([4, 5, 3], Activation.Tanh, Activation.Softmax, seed: 1);
            TrainerOptions<float> options = AdamOptions(directory, 1);
            options.Epochs = 2;
            using (var trainer = new Trainer<float>(model, options))
            {
                trainer.Fit(train, validation);
            }
            TrainerOptions<float> other = AdamOptions(directory, 1);
            other.Seed = 43;
            var e = Assert.Throws<ArgumentException>(() => Trainer<float>.Resume(directory, other));
            Assert.Contains("seed: checkpoint 42, now 43", e.Message);
            // A checkpoint is not a model file, and a model file is not a checkpoint.
            string checkpoint = Path.Combine(directory, Trainer<float>.CheckpointFileName);
            Assert.Throws<ModelFormatException>(() => Mlp<float>.Load(checkpoint));
            model.Save(checkpoint);
            Assert.Throws<ModelFormatException>(() => Trainer<float>.Resume(directory, AdamOptions(directory, 1)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
