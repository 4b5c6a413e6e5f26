using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Epochs = int.MaxValue is a valid "until stopped": the history grows with the epochs that run.</summary>
public class LongFitTests
{
    private sealed class CancelAfter(int epochs, CancellationTokenSource source) : IProgress<EpochReport>
    {
        public List<double> Losses { get; } = [];

        public void Report(EpochReport value)
        {
            Losses.Add(value.TrainLoss);
            if (Losses.Count == epochs)
            {
                source.Cancel();
            }
        }
    }

    private static Dataset<double> Line() =>
        Dataset<double>.ForRegression([-1.0, -0.5, 0, 0.5, 1], [-5.0, -3.5, -2, -0.5, 1], 1);

    [Fact]
    public void Epochs_int_MaxValue_reserves_no_per_epoch_storage_up_front()
    {
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 3);
        using var source = new CancellationTokenSource();
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Optimizer = Optimizer.Sgd(0.1), BatchSize = 5, Epochs = int.MaxValue });
        TrainingHistory h = trainer.Fit(Line(), null, new CancelAfter(3, source), source.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(TrainingStatus.Cancelled, h.Status);
        Assert.Equal(3, h.EpochCount);
        // Five curves of 1024 doubles = 40 KB; preallocating int.MaxValue epochs would be 80 GB.
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
    }

    [Fact]
    public void History_grows_past_its_preallocated_epochs_keeping_every_value()
    {
        const int epochs = (TrainingHistory.PreallocatedEpochs * 2) + 100;
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 3);
        using var source = new CancellationTokenSource();
        var progress = new CancelAfter(epochs, source);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Optimizer = Optimizer.Sgd(0.01), BatchSize = 5, Epochs = int.MaxValue });
        TrainingHistory h = trainer.Fit(Line(), null, progress, source.Token);
        Assert.Equal(epochs, h.EpochCount);
        Assert.Equal(progress.Losses, h.TrainLoss.ToArray());
        Assert.All(h.LearningRate.ToArray(), rate => Assert.Equal(0.01, rate));
        Assert.Equal(epochs, h.Seconds.Length);
        Assert.Equal(epochs, h.ValidationLoss.Length);
    }
}
