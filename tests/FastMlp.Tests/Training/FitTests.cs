using Xunit;

namespace FastMlp.Tests.Training;

public class FitTests
{
    [Fact]
    public void Full_batch_gradient_descent_recovers_a_line_and_the_cost_falls_every_epoch()
    {
        // y = b + m·x with m = 3, b = −2 on x in [−1, 1]
        const int rows = 50;
        var x = new double[rows];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = -1 + 2.0 * i / (rows - 1);
            y[i] = -2 + 3 * x[i];
        }
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 3);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Optimizer = Optimizer.Sgd(0.3),
            Loss = Loss.MeanSquaredError,
            BatchSize = 1000,
            Epochs = 200,
            Shuffle = false,
        });
        TrainingHistory history = trainer.Fit(Dataset<double>.ForRegression(x, y, 1), null);
        Assert.Equal(TrainingStatus.Completed, history.Status);
        for (int e = 1; e < history.EpochCount; e++)
        {
            Assert.True(history.TrainLoss[e] < history.TrainLoss[e - 1] || history.TrainLoss[e] < 1e-20,
                $"cost rose in epoch {e}: {history.TrainLoss[e - 1]} → {history.TrainLoss[e]}");
        }
        Assert.Equal(3, model.GetWeights(0)[0], 1e-3);
        Assert.Equal(-2, model.GetBiases(0)[0], 1e-3);
    }

    private static (Dataset<double> Train, Dataset<double> Validation) Overfitting()
    {
        // Few noisy training rows and a big net: the validation loss rises after a while.
        var random = new Random(5);
        double[] Xs(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] xt = Xs(12), xv = Xs(200);
        double[] yt = xt.Select(v => Math.Sin(3 * v) + (random.NextDouble() - 0.5)).ToArray();
        double[] yv = xv.Select(v => Math.Sin(3 * v)).ToArray();
        return (Dataset<double>.ForRegression(xt, yt, 1), Dataset<double>.ForRegression(xv, yv, 1));
    }

    [Fact]
    public void Early_stopping_stops_patience_epochs_after_the_best_and_restores_its_weights()
    {
        (Dataset<double> train, Dataset<double> validation) = Overfitting();
        TrainerOptions<double> Options(EarlyStopping? es) => new()
        {
            Optimizer = Optimizer.Adam(0.01),
            BatchSize = 12,
            Epochs = 3000,
            Shuffle = false,
            EarlyStopping = es,
        };
        var model = new Mlp<double>([1, 64, 64, 1], Activation.Tanh, Activation.Identity, 11);
        using var trainer = new Trainer<double>(model, Options(new EarlyStopping { Patience = 20 }));
        TrainingHistory h = trainer.Fit(train, validation);
        Assert.Equal(TrainingStatus.EarlyStopped, h.Status);
        int bestEpoch = 0;
        for (int e = 1; e < h.EpochCount; e++)
        {
            if (h.ValidationLoss[e] < h.ValidationLoss[bestEpoch]) bestEpoch = e;
        }
        Assert.Equal(bestEpoch, h.BestEpoch);
        Assert.Equal(bestEpoch + 20, h.EpochCount - 1); // stopped exactly `patience` epochs after the best
        Assert.True(h.ValidationLoss[h.EpochCount - 1] > h.ValidationLoss[bestEpoch]); // validation loss had risen
        Assert.True(h.RestoredBestWeights);
        EvaluationResult restored = trainer.Evaluate(validation);
        Assert.Equal(h.ValidationLoss[bestEpoch], restored.Loss, 12);
    }

    [Fact]
    public void Best_weights_are_restored_when_the_epoch_limit_is_reached()
    {
        (Dataset<double> train, Dataset<double> validation) = Overfitting();
        var model = new Mlp<double>([1, 64, 64, 1], Activation.Tanh, Activation.Identity, 11);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Optimizer = Optimizer.Adam(0.01),
            BatchSize = 12,
            Epochs = 400,
            Shuffle = false,
            EarlyStopping = new EarlyStopping { Patience = 100_000 },
        });
        TrainingHistory h = trainer.Fit(train, validation);
        Assert.Equal(TrainingStatus.Completed, h.Status);
        Assert.True(h.RestoredBestWeights);
        Assert.Equal(h.ValidationLoss[h.BestEpoch], trainer.Evaluate(validation).Loss, 12);
    }

    [Fact]
    public void Divergence_stops_with_a_clear_status_and_finite_last_good_weights()
    {
        var x = Enumerable.Range(0, 32).Select(i => i / 4.0).ToArray();
        var y = x.Select(v => 10 * v).ToArray();
        var model = new Mlp<double>([1, 8, 1], Activation.Identity, Activation.Identity, 2);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Optimizer = Optimizer.Sgd(5), BatchSize = 8, Epochs = 50 });
        TrainingHistory h = trainer.Fit(Dataset<double>.ForRegression(x, y, 1), null);
        Assert.Equal(TrainingStatus.Diverged, h.Status);
        Assert.True(h.DivergedEpoch >= 0 && h.DivergedStep >= 0);
        Assert.Equal(5, h.DivergedLearningRate);
        Assert.Contains("diverged", h.Message);
        Assert.Contains("learning rate 5", h.Message);
        for (int l = 0; l < model.LayerCount; l++)
        {
            Assert.All(model.GetWeights(l).ToArray(), w => Assert.True(double.IsFinite(w)));
            Assert.All(model.GetBiases(l).ToArray(), w => Assert.True(double.IsFinite(w)));
        }
    }

    [Fact]
    public void Same_seed_and_data_give_bit_identical_weights()
    {
        float[] Run()
        {
            var random = new Random(9);
            float[] x = Enumerable.Range(0, 300 * 5).Select(_ => (float)random.NextDouble()).ToArray();
            int[] labels = Enumerable.Range(0, 300).Select(i => (int)(x[i * 5] * 2.999)).ToArray();
            var data = Dataset<float>.ForClassification(x, labels, 5, 3);
            var model = new Mlp<float>([5, 16, 3], Activation.ReLU, Activation.Softmax, 42);
            using var trainer = new Trainer<float>(model, new TrainerOptions<float>
            {
                Loss = Loss.SoftmaxCrossEntropy,
                Optimizer = Optimizer.Adam(0.01),
                BatchSize = 16,
                Epochs = 5,
                Seed = 123,
            });
            trainer.Fit(data, null);
            return [.. model.GetWeights(0), .. model.GetBiases(0), .. model.GetWeights(1), .. model.GetBiases(1)];
        }
        float[] a = Run(), b = Run();
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Standardizer_is_fitted_on_train_and_carried_into_inference()
    {
        double[] x = [100, 1, 200, 2, 300, 3, 400, 4];
        double[] y = [1, 2, 3, 4];
        var model = new Mlp<double>([2, 1], Activation.Identity, Activation.Identity, 1);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Standardize = true,
            Optimizer = Optimizer.Sgd(0.1),
            BatchSize = 4,
            Epochs = 300,
            Shuffle = false,
        });
        trainer.Fit(Dataset<double>.ForRegression(x, y, 2), null);
        Assert.NotNull(model.Standardizer);
        Assert.Equal(250, model.Standardizer!.Mean[0], 12);
        InferenceModel<double> frozen = model.Freeze();
        var output = new double[1];
        frozen.Predict([250, 2.5], output);
        Assert.Equal(2.5, output[0], 3);
    }

    [Fact]
    public void Evaluate_reports_classification_and_regression_metrics()
    {
        var model = new Mlp<double>([1, 2], Activation.Identity, Activation.Softmax, 1);
        model.SetWeights(0, [1, -1]);
        model.SetBiases(0, [0, 0]);
        var data = Dataset<double>.ForClassification([1.0, 2, -1, -3], [0, 1, 1, 1], 1, 2);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Loss = Loss.SoftmaxCrossEntropy });
        EvaluationResult r = trainer.Evaluate(data);
        Assert.Equal(0.75, r.Accuracy); // predicts class 0 for x > 0: row 2 (label 1) is wrong
        Assert.Equal(new int[,] { { 1, 0 }, { 1, 2 } }, r.ConfusionMatrix);

        var line = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 1);
        line.SetWeights(0, [1]);
        using var t2 = new Trainer<double>(line, new TrainerOptions<double>());
        EvaluationResult e = t2.Evaluate(Dataset<double>.ForRegression([0.0, 1, 2, 3], [0.0, 1, 2, 5], 1));
        Assert.Equal(1.0, e.MeanSquaredError, 12);
        Assert.Equal(1.0, e.RootMeanSquaredError, 12);
        Assert.Equal(0.5, e.MeanAbsoluteError, 12);
        // SST = Σ(y − 2)² = 4 + 1 + 0 + 9 = 14, SSE = 4 → R² = 1 − 4/14
        Assert.Equal(1 - 4.0 / 14, e.RSquared, 12);
    }

    [Fact]
    public void Cancellation_ends_the_fit_with_a_status_instead_of_throwing()
    {
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, 1);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Epochs = 10 });
        using var cts = new CancellationTokenSource();
        var progress = new Progress(cts);
        TrainingHistory h = trainer.Fit(Dataset<double>.ForRegression([1.0, 2, 3], [1.0, 2, 3], 1), null, progress, cts.Token);
        Assert.Equal(TrainingStatus.Cancelled, h.Status);
        Assert.Equal(2, h.EpochCount);
    }

    private sealed class Progress(CancellationTokenSource cts) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == 1) cts.Cancel();
        }
    }
}
