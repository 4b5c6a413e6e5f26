using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>The options fingerprint a checkpoint records: every field's text, and how two fingerprints are compared.</summary>
public class TrainingFingerprintTests
{
    private static Dictionary<string, string> Fields(TrainerOptions<float> options) =>
        TrainingFingerprint.Of(options).Fields.ToDictionary(f => f.Key, f => f.Value);

    [Fact]
    public void Sgd_records_momentum_and_nesterov_and_no_adam_settings()
    {
        Dictionary<string, string> f = Fields(new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4),
            BatchSize = 64,
            Seed = -3,
            Shuffle = false,
            Standardize = true,
            StandardizeTargets = false,
            ClassWeights = ClassWeights.Of(1, 2.5),
            Dropout = 0.25,
            Schedule = LearningRateSchedule.Step(10, 0.5),
            EarlyStopping = new EarlyStopping { Patience = 4, MinDelta = 0.001, RestoreBestWeights = false },
        });

        Assert.Equal(Loss.SoftmaxCrossEntropy.ToString(), f["loss"]);
        Assert.Equal("Sgd", f["optimizer"]);
        Assert.Equal("0.1", f["learning_rate"]);
        Assert.Equal("0.9", f["momentum"]);
        Assert.Equal("True", f["nesterov"]);
        Assert.Equal("-", f["beta1"]);
        Assert.Equal("-", f["beta2"]);
        Assert.Equal("-", f["epsilon"]);
        Assert.Equal("0.0001", f["weight_decay"]);
        Assert.Equal("64", f["batch_size"]);
        Assert.Equal("-3", f["seed"]);
        Assert.Equal("False", f["shuffle"]);
        Assert.Equal("True", f["standardize"]);
        Assert.Equal("False", f["standardize_targets"]);
        Assert.Equal("[1, 2.5]", f["class_weights"]);
        Assert.Equal("0.25", f["dropout"]);
        Assert.Equal(LearningRateSchedule.Step(10, 0.5).ToString(), f["schedule"]);
        Assert.Equal("patience=4, minDelta=0.001, restoreBestWeights=False", f["early_stopping"]);
    }

    [Fact]
    public void Adam_records_its_betas_and_epsilon_and_no_sgd_settings_and_absent_settings_read_none()
    {
        Dictionary<string, string> f = Fields(new TrainerOptions<float> { Optimizer = Optimizer.AdamW(0.002, 0.8, 0.99, 1e-7, 0.05), StandardizeTargets = true });

        Assert.Equal("AdamW", f["optimizer"]);
        Assert.Equal("-", f["momentum"]);
        Assert.Equal("-", f["nesterov"]);
        Assert.Equal("0.8", f["beta1"]);
        Assert.Equal("0.99", f["beta2"]);
        Assert.Equal("1E-07", f["epsilon"]);
        Assert.Equal("0.05", f["weight_decay"]);
        Assert.Equal("True", f["standardize_targets"]);
        Assert.Equal("none", f["class_weights"]);
        Assert.Equal("none", f["dropout"]);
        Assert.Equal("none", f["schedule"]);
        Assert.Equal("none", f["early_stopping"]);
    }

    [Fact]
    public void Differences_name_each_changed_missing_and_unknown_field()
    {
        TrainingFingerprint now = TrainingFingerprint.Of(new TrainerOptions<float> { Seed = 2, Dropout = 0.5 });
        Assert.Empty(now.DifferencesFrom(now));

        var saved = now.Fields.ToDictionary(f => f.Key, f => f.Value);
        saved["seed"] = "1";
        // Settings newer than the checkpoint match when they are off ("none", "False") and are named when on.
        saved.Remove("class_weights");
        saved.Remove("standardize_targets");
        saved.Remove("dropout");
        saved["momentum_schedule"] = "linear";
        IReadOnlyList<string> differences = now.DifferencesFrom(TrainingFingerprint.FromFields([.. saved]));

        Assert.Equal(
        [
            "seed: checkpoint 1, now 2",
            "dropout: checkpoint (not recorded), now 0.5",
            "momentum_schedule: checkpoint linear, now (not a setting of this version)",
        ], differences);
    }

    [Fact]
    public void Format_1_options_string_is_the_one_that_format_wrote()
    {
        var options = new TrainerOptions<float> { Optimizer = Optimizer.Sgd(0.5), BatchSize = 8, Seed = 1, Shuffle = false };
        Assert.Equal(
            $"loss={Loss.MeanSquaredError}; optimizer={Optimizer.Sgd(0.5)}; batch=8; seed=1; shuffle=False; standardize=False; schedule=none; earlyStopping=none",
            TrainingFingerprint.Format1Of(options));
        options.Schedule = LearningRateSchedule.Step(3, 0.5);
        options.EarlyStopping = new EarlyStopping { Patience = 2, MinDelta = 0.5, RestoreBestWeights = false };
        Assert.EndsWith($"schedule={LearningRateSchedule.Step(3, 0.5).GetType().Name}; earlyStopping=2/0.5/False", TrainingFingerprint.Format1Of(options));
    }
}
