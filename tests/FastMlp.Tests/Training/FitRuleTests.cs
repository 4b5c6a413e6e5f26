using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Early stopping's MinDelta and warm-up schedules as Fit applies them, against the documented rules.</summary>
public class FitRuleTests
{
    private static Dataset<double> Line(int rows)
    {
        var random = new Random(5);
        double[] x = Enumerable.Range(0, rows * 2).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] y = Enumerable.Range(0, rows).Select(r => (3 * x[2 * r]) - x[(2 * r) + 1] + 0.5).ToArray();
        return Dataset<double>.ForRegression(x, y, 2);
    }

    private static TrainingHistory Fit(Dataset<double> data, int epochs, EarlyStopping? stopping, LearningRateSchedule? schedule = null)
    {
        // A [2, 3, 1] tanh net (not the fused linear path), full batch, no shuffle: the same run every time.
        var model = new Mlp<double>([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 3);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Optimizer = Optimizer.Sgd(0.05),
            BatchSize = data.Rows,
            Epochs = epochs,
            Shuffle = false,
            EarlyStopping = stopping,
            Schedule = schedule,
        });
        return trainer.Fit(data, null);
    }

    /// <summary>The documented rule: an epoch improves only if its loss is below best − MinDelta; stop after Patience without.</summary>
    private static (int Epochs, int Best, bool Stopped) Simulate(ReadOnlySpan<double> losses, double minDelta, int patience)
    {
        double best = double.PositiveInfinity;
        int bestEpoch = -1, since = 0;
        for (int e = 0; e < losses.Length; e++)
        {
            if (losses[e] < best - minDelta)
            {
                (best, bestEpoch, since) = (losses[e], e, 0);
            }
            else if (++since >= patience)
            {
                return (e + 1, bestEpoch, true);
            }
        }
        return (losses.Length, bestEpoch, false);
    }

    [Fact]
    public void MinDelta_counts_only_improvements_larger_than_it()
    {
        Dataset<double> data = Line(64);
        const int epochs = 40, patience = 3;
        TrainingHistory free = Fit(data, epochs, new EarlyStopping { Patience = epochs, RestoreBestWeights = false });
        double[] losses = free.TrainLoss.ToArray();
        Assert.Equal(epochs, losses.Length);
        // Plain gradient descent with a small rate: the loss falls every epoch, by shrinking amounts.
        double[] gains = [.. losses.Zip(losses.Skip(1), (a, b) => a - b)];
        Assert.All(gains, g => Assert.True(g > 0));
        double minDelta = gains.Order().ElementAt(gains.Length / 2);

        (int expectedEpochs, int expectedBest, bool stopped) = Simulate(losses, minDelta, patience);
        Assert.True(stopped, "the case must stop early");
        Assert.NotEqual(Simulate(losses, 0, patience), (expectedEpochs, expectedBest, stopped));

        TrainingHistory h = Fit(data, epochs, new EarlyStopping { Patience = patience, MinDelta = minDelta, RestoreBestWeights = false });
        Assert.Equal(TrainingStatus.EarlyStopped, h.Status);
        Assert.Equal(expectedEpochs, h.EpochCount);
        Assert.Equal(expectedBest, h.BestEpoch);
        Assert.Equal(losses.AsSpan(0, expectedEpochs).ToArray(), h.TrainLoss.ToArray());
    }

    [Fact]
    public void A_MinDelta_above_every_gain_stops_after_patience_epochs()
    {
        TrainingHistory h = Fit(Line(64), 40, new EarlyStopping { Patience = 4, MinDelta = 1e6 });
        Assert.Equal(TrainingStatus.EarlyStopped, h.Status);
        Assert.Equal(0, h.BestEpoch);
        Assert.Equal(5, h.EpochCount);
    }

    [Fact]
    public void Warmup_rates_reach_the_optimizer_epoch_by_epoch()
    {
        Dataset<double> data = Line(32);
        LearningRateSchedule schedule = LearningRateSchedule.LinearWarmup(3, LearningRateSchedule.Exponential(0.5));
        double[] expected = [0.05 / 3, 0.05 * 2 / 3, 0.05, 0.05, 0.025, 0.0125];
        TrainingHistory h = Fit(data, expected.Length, null, schedule);
        Assert.Equal(TrainingStatus.Completed, h.Status);
        for (int e = 0; e < expected.Length; e++)
        {
            Assert.Equal(expected[e], h.LearningRate[e], 15);
        }

        // The same updates by hand: one full-batch Step per epoch at the expected rate gives the same weights
        // (to rounding: Fit multiplies its arena copy of the batch, Step the caller's array).
        var fitted = new Mlp<double>([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 3);
        using (var trainer = new Trainer<double>(fitted, new TrainerOptions<double> { Optimizer = Optimizer.Sgd(0.05), BatchSize = 32, Epochs = expected.Length, Shuffle = false, Schedule = schedule }))
        {
            trainer.Fit(data, null);
        }
        var manual = new Mlp<double>([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 3);
        using (var trainer = new Trainer<double>(manual, new TrainerOptions<double> { Optimizer = Optimizer.Sgd(0.05), BatchSize = 32 }))
        {
            foreach (double rate in expected)
            {
                trainer.LearningRate = rate;
                trainer.Step(data.Features.Span, data.Targets.Span, 32);
            }
        }
        double[] want = [.. Enumerable.Range(0, 2).SelectMany(l => manual.GetWeights(l).ToArray().Concat(manual.GetBiases(l).ToArray()))];
        double[] got = [.. Enumerable.Range(0, 2).SelectMany(l => fitted.GetWeights(l).ToArray().Concat(fitted.GetBiases(l).ToArray()))];
        Assert.All(want.Zip(got), p => Assert.Equal(p.First, p.Second, 1e-12));
    }

    [Fact]
    public void Warmup_then_plateau_sees_epochs_counted_from_the_end_of_the_warmup()
    {
        // Plateau with patience 1 and a threshold no gain here can meet (a 99 % drop): the plateau sees
        // its first epoch at fit epoch 2 (sets its best), epochs 3 and 4 are bad, the second one (> patience)
        // halves the rate for epoch 5. Fed the warm-up epochs too, it would cut two epochs earlier.
        LearningRateSchedule schedule = LearningRateSchedule.LinearWarmup(2, LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 1, threshold: 0.99));
        TrainingHistory h = Fit(Line(32), 6, null, schedule);
        Assert.Equal([0.025, 0.05, 0.05, 0.05, 0.05, 0.025], h.LearningRate.ToArray());
    }
}
