using Xunit;

namespace FastMlp.Tests.Training;

public class ScheduleTests
{
    private static double Rate(LearningRateSchedule s, int epoch, long seen = 0) => s.RateForEpoch(epoch, 0.1, seen);

    [Fact]
    public void Constant() => Assert.Equal(0.1, Rate(LearningRateSchedule.Constant(), 7));

    [Fact]
    public void Step()
    {
        LearningRateSchedule s = LearningRateSchedule.Step(3, 0.5);
        Assert.Equal(0.1, Rate(s, 2), 15);
        Assert.Equal(0.05, Rate(s, 3), 15);
        Assert.Equal(0.025, Rate(s, 6), 15);
    }

    [Fact]
    public void Exponential() => Assert.Equal(0.1 * 0.9 * 0.9, Rate(LearningRateSchedule.Exponential(0.9), 2), 15);

    [Fact]
    public void Inverse_scaling_follows_scikit_learn()
    {
        LearningRateSchedule s = LearningRateSchedule.InverseScaling(0.5);
        Assert.Equal(0.1, Rate(s, 0, 0), 15);
        Assert.Equal(0.1 / Math.Sqrt(101), Rate(s, 1, 100), 15);
    }

    [Fact]
    public void Cosine()
    {
        LearningRateSchedule s = LearningRateSchedule.Cosine(10, 0.01);
        Assert.Equal(0.1, Rate(s, 0), 15);
        Assert.Equal(0.01 + 0.09 * 0.5, Rate(s, 5), 15);
        Assert.Equal(0.01, Rate(s, 10), 15);
        Assert.Equal(0.01, Rate(s, 12), 15);
    }

    [Fact]
    public void Linear_warmup_then_inner_schedule()
    {
        LearningRateSchedule s = LearningRateSchedule.LinearWarmup(4, LearningRateSchedule.Exponential(0.5));
        Assert.Equal(0.025, Rate(s, 0), 15);
        Assert.Equal(0.1, Rate(s, 3), 15);
        Assert.Equal(0.1, Rate(s, 4), 15);
        Assert.Equal(0.05, Rate(s, 5), 15);
    }

    [Fact]
    public void Reduce_on_plateau_cuts_after_patience_and_waits_for_cooldown()
    {
        LearningRateSchedule s = LearningRateSchedule.ReduceOnPlateau(factor: 0.1, patience: 2, threshold: 1e-4, cooldown: 1, minRate: 0.0005);
        s.Reset(0.1);
        double[] losses = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
        double[] rates = new double[losses.Length];
        for (int e = 0; e < losses.Length; e++)
        {
            rates[e] = Rate(s, e);
            s.EpochEnded(e, losses[e]);
        }
        // Epochs 2,3,4 fail to improve: more than 2 bad epochs after epoch 4 → 0.01 from epoch 5.
        // Cooldown 1 (epoch 5 ignored), then bad epochs 6,7,8 → 0.001 from epoch 9.
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001], rates.Select(r => Math.Round(r, 12)).ToArray());
        s.EpochEnded(10, 0.9);
        s.EpochEnded(11, 0.9);
        s.EpochEnded(12, 0.9);
        s.EpochEnded(13, 0.9);
        s.EpochEnded(14, 0.9);
        Assert.Equal(0.0005, Rate(s, 15)); // never below minRate
    }

    [Fact]
    public void Adaptive_divides_by_five_after_two_stalled_epochs()
    {
        LearningRateSchedule s = LearningRateSchedule.Adaptive(tolerance: 1e-4, epochsWithoutImprovement: 2);
        s.Reset(0.1);
        double[] losses = [1.0, 0.5, 0.49995, 0.5, 0.3, 0.3, 0.3];
        double[] rates = new double[losses.Length];
        for (int e = 0; e < losses.Length; e++)
        {
            rates[e] = Rate(s, e);
            s.EpochEnded(e, losses[e]);
        }
        // Epochs 2 and 3 do not improve by tol → ÷5 from epoch 4; epochs 5 and 6 stall → ÷5 again after.
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.02, 0.02, 0.02], rates.Select(r => Math.Round(r, 12)).ToArray());
        Assert.Equal(0.004, Rate(s, 7), 12);
    }

    [Fact]
    public void Fit_records_the_scheduled_rate_per_epoch()
    {
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 1);
        var data = Dataset<double>.ForRegression([0.0, 1, 2, 3], [1.0, 3, 5, 7], 1);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Optimizer = Optimizer.Sgd(0.04),
            Epochs = 4,
            BatchSize = 4,
            Schedule = LearningRateSchedule.Step(2, 0.5),
        });
        TrainingHistory h = trainer.Fit(data, null);
        Assert.Equal([0.04, 0.04, 0.02, 0.02], h.LearningRate.ToArray());
    }
}
