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

    /// <summary>The rates a schedule gives over <paramref name="losses"/>, one epoch per loss, starting from 0.1.</summary>
    private static double[] Rates(LearningRateSchedule s, double[] losses)
    {
        var rates = new double[losses.Length];
        for (int e = 0; e < losses.Length; e++)
        {
            rates[e] = Rate(s, e);
            s.EpochEnded(e, losses[e]);
        }
        return rates;
    }

    /// <summary>
    /// A schedule reused for a second fit (Fit calls Reset) behaves as a new one whatever state the first fit left:
    /// cut rate, best loss, bad-epoch count, cooldown, stalled count; also through a warm-up, which resets the schedule after it.
    /// </summary>
    [Fact]
    public void Reset_forgets_everything_a_previous_fit_left()
    {
        double[] losses = [1.0, 0.9, 0.9, 0.9, 0.8, 0.9, 0.9, 0.9, 0.9, 0.5, 0.9, 0.9];
        Func<LearningRateSchedule>[] kinds =
        [
            () => LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 1, threshold: 1e-4, cooldown: 2, minRate: 0.001),
            () => LearningRateSchedule.Adaptive(tolerance: 1e-4, epochsWithoutImprovement: 2),
            () => LearningRateSchedule.LinearWarmup(2, LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 0, cooldown: 1)),
        ];
        foreach (Func<LearningRateSchedule> kind in kinds)
        {
            LearningRateSchedule fresh = kind();
            fresh.Reset(0.1);
            double[] expected = Rates(fresh, losses);
            for (int stoppedAfter = 1; stoppedAfter <= losses.Length; stoppedAfter++)
            {
                LearningRateSchedule reused = kind();
                reused.Reset(0.1);
                Rates(reused, losses[..stoppedAfter]);
                reused.Reset(0.1);
                Assert.Equal(expected, Rates(reused, losses));
            }
        }
    }

    [Fact]
    public void Reduce_on_plateau_with_threshold_zero_counts_an_equal_loss_as_no_improvement()
    {
        LearningRateSchedule s = LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 1, threshold: 0, cooldown: 0);
        s.Reset(0.1);
        // Epochs 1 and 2 equal the best: two bad epochs (> patience 1) → halved from epoch 3.
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05], Rates(s, [1.0, 1.0, 1.0, 0.5, 0.4]));
    }

    [Fact]
    public void Reduce_on_plateau_without_cooldown_counts_bad_epochs_afresh_after_a_cut()
    {
        LearningRateSchedule s = LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 1, threshold: 0, cooldown: 0);
        s.Reset(0.1);
        // A cut after every second bad epoch, not after every bad epoch once the first cut has happened.
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025], Rates(s, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]));
    }

    [Fact]
    public void Adaptive_with_tolerance_zero_does_not_count_an_equal_loss_as_stalled()
    {
        // scikit-learn: no improvement when loss > best − tol, so a loss equal to the best (tol 0) is not a stall.
        LearningRateSchedule s = LearningRateSchedule.Adaptive(tolerance: 0, epochsWithoutImprovement: 1);
        s.Reset(0.1);
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.02], Rates(s, [1.0, 1.0, 1.0, 1.5, 1.0]));
    }

    [Fact]
    public void Adaptive_rate_stops_at_one_millionth()
    {
        LearningRateSchedule s = LearningRateSchedule.Adaptive(tolerance: 0, epochsWithoutImprovement: 1);
        s.Reset(1e-5);
        double[] rates = new double[6];
        for (int e = 0; e < rates.Length; e++)
        {
            rates[e] = s.RateForEpoch(e, 1e-5, 0);
            s.EpochEnded(e, e == 0 ? 1.0 : 2.0);
        }
        // Every epoch after the first stalls: ÷5 down to 1e-6, then it stays there.
        Assert.Equal([1e-5, 1e-5, 2e-6, 1e-6, 1e-6, 1e-6], rates.Select(r => Math.Round(r, 15)).ToArray());
    }

    /// <summary>Records the epochs a schedule defined outside the library is told about.</summary>
    private sealed class Recording : LearningRateSchedule
    {
        public List<(int Epoch, double Loss)> Ended { get; } = [];

        public override double RateForEpoch(int epoch, double initialRate, long samplesSeen) => initialRate;

        public override void EpochEnded(int epoch, double loss) => Ended.Add((epoch, loss));
    }

    [Fact]
    public void A_warmup_tells_the_schedule_after_it_epochs_counted_from_the_end_of_the_warmup()
    {
        var inner = new Recording();
        LearningRateSchedule s = LearningRateSchedule.LinearWarmup(3, inner);
        for (int e = 0; e < 6; e++)
        {
            s.EpochEnded(e, 10 - e);
        }
        Assert.Equal([(0, 7.0), (1, 6.0), (2, 5.0)], inner.Ended);
    }

    [Fact]
    public void Plateau_and_adaptive_start_at_the_optimizer_rate_without_a_reset()
    {
        Assert.Equal(0.1, Rate(LearningRateSchedule.ReduceOnPlateau(), 0));
        Assert.Equal(0.1, Rate(LearningRateSchedule.Adaptive(), 0));
        LearningRateSchedule s = LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 0);
        Assert.Equal(0.1, Rate(s, 0));
        s.EpochEnded(0, 1.0);
        s.EpochEnded(1, 1.0);
        Assert.Equal(0.05, Rate(s, 2), 15);
    }
}
