using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Inverted dropout: the masks, the gradient through them, determinism, and what it does to overfitting.</summary>
public sealed class DropoutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastmlp-dropout-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Masks_drop_the_rate_and_scale_the_rest_and_depend_only_on_the_seed()
    {
        var mask = new double[100_001];
        new DropoutMasks(7).Fill<double>(mask, 0.3);
        double dropped = mask.Count(v => v == 0) / (double)mask.Length;
        Assert.InRange(dropped, 0.295, 0.305);
        Assert.All(mask, v => Assert.True(v == 0 || v == 1 / 0.7, $"mask value {v}"));
        var again = new double[mask.Length];
        new DropoutMasks(7).Fill<double>(again, 0.3);
        Assert.Equal(mask, again);
        new DropoutMasks(8).Fill<double>(again, 0.3);
        Assert.NotEqual(mask, again);
        // The state round-trips (what a checkpoint stores).
        var a = new DropoutMasks(3);
        a.Fill<double>(new double[11], 0.5);
        Span<long> state = stackalloc long[DropoutMasks.StateLength];
        a.CopyState(state);
        var b = new DropoutMasks(99);
        b.RestoreState(state);
        double[] fromA = new double[9], fromB = new double[9];
        a.Fill<double>(fromA, 0.5);
        b.Fill<double>(fromB, 0.5);
        Assert.Equal(fromA, fromB);
    }

    [Fact]
    public void Backprop_through_a_fixed_mask_matches_finite_differences()
    {
        var model = new Mlp<double>([3, 5, 4, 2], Activation.Tanh, Activation.Identity, seed: 4);
        int batch = 6, hidden = 5 + 4;
        var random = new Random(1);
        double[] x = [.. Enumerable.Range(0, batch * 3).Select(_ => random.NextDouble() * 2 - 1)];
        double[] y = [.. Enumerable.Range(0, batch * 2).Select(_ => random.NextDouble())];
        var mask = new double[batch * hidden];
        new DropoutMasks(5).Fill<double>(mask, 0.4);
        Assert.Contains(0.0, mask);
        var activations = new double[batch * model.ActivationWidth];
        var deltas = new double[batch * model.ActivationWidth];
        var logits = new double[batch * 2];
        var dropped = new double[batch * hidden];
        int outputOffset = batch * model.ActivationOffset(2);
        double Loss(Span<double> dz)
        {
            model.Forward(x, batch, activations, logits, null, mask, dropped);
            return LossFunctions<double>.Compute(FastMlp.Loss.MeanSquaredError, Activation.Identity, logits,
                activations.AsSpan(outputOffset, batch * 2), y, batch, 2, dz);
        }
        Loss(deltas.AsSpan(outputOffset, batch * 2));
        var gradients = new double[model.ParameterCount];
        model.Backward(x, batch, activations, deltas, gradients, null, mask, dropped);
        Span<double> parameters = model.Parameters;
        double h = 1e-5;
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            parameters[i] = original + h;
            double plus = Loss(default);
            parameters[i] = original - h;
            double minus = Loss(default);
            parameters[i] = original;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradients[i]) <= 1e-8 + 1e-6 * Math.Abs(numeric), $"parameter {i}: analytic {gradients[i]}, numeric {numeric}");
        }
        // The mask matters: without it the gradient is different.
        var plain = new double[model.ParameterCount];
        model.Forward(x, batch, activations, logits);
        LossFunctions<double>.Compute(FastMlp.Loss.MeanSquaredError, Activation.Identity, logits, activations.AsSpan(outputOffset, batch * 2), y, batch, 2, deltas.AsSpan(outputOffset, batch * 2));
        model.Backward(x, batch, activations, deltas, plain);
        Assert.NotEqual(plain, gradients);
    }

    private static (Dataset<double> Train, Dataset<double> Validation) Overfitting()
    {
        // Few noisy training rows and a wide net: without a remedy it fits the noise.
        var random = new Random(5);
        double[] Xs(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1)];
        double[] xt = Xs(16), xv = Xs(200);
        double[] yt = [.. xt.Select(v => Math.Sin(3 * v) + (random.NextDouble() - 0.5))];
        double[] yv = [.. xv.Select(v => Math.Sin(3 * v))];
        return (Dataset<double>.ForRegression(xt, yt, 1), Dataset<double>.ForRegression(xv, yv, 1));
    }

    private static (double Train, double Validation) FitOverfitting(double dropout)
    {
        (Dataset<double> train, Dataset<double> validation) = Overfitting();
        var model = new Mlp<double>([1, 128, 128, 1], Activation.Tanh, Activation.Identity, 11);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Optimizer = Optimizer.Adam(0.01),
            BatchSize = 16,
            Epochs = 1500,
            Shuffle = false,
            Dropout = dropout,
            Seed = 2,
        });
        trainer.Fit(train, validation);
        return (trainer.Evaluate(train).Loss, trainer.Evaluate(validation).Loss);
    }

    [Fact]
    public void Dropout_narrows_the_gap_between_training_and_validation_loss_on_an_overfitting_run()
    {
        (double train, double validation) = FitOverfitting(0);
        (double trainDropout, double validationDropout) = FitOverfitting(0.5);
        double gap = validation - train, gapDropout = validationDropout - trainDropout;
        Assert.True(gapDropout < gap / 2, $"gap without dropout {gap:G3} (train {train:G3}, validation {validation:G3}); with 0.5: {gapDropout:G3} (train {trainDropout:G3}, validation {validationDropout:G3})");
        Assert.True(validationDropout < validation, $"validation loss {validation:G3} → {validationDropout:G3}");
    }

    private static Mlp<float> FitWide(int threads, string? checkpoints = null, int epochs = 3, Trainer<float>? resumed = null)
    {
        var random = new Random(4);
        float[] x = [.. Enumerable.Range(0, 256 * 64).Select(_ => (float)random.NextDouble())];
        int[] labels = [.. Enumerable.Range(0, 256).Select(_ => random.Next(10))];
        Dataset<float> data = Dataset<float>.ForClassification(x, labels, 64, 10);
        if (resumed is not null)
        {
            resumed.Fit(data, null);
            return resumed.Model;
        }
        var model = new Mlp<float>([64, 256, 256, 10], Activation.ReLU, Activation.Softmax, 3);
        using var trainer = new Trainer<float>(model, Options(threads, checkpoints, epochs));
        trainer.Fit(data, null);
        return model;
    }

    private static TrainerOptions<float> Options(int threads, string? checkpoints, int epochs) => new()
    {
        Loss = Loss.SoftmaxCrossEntropy,
        Optimizer = Optimizer.Adam(1e-3),
        BatchSize = 64,
        Epochs = epochs,
        Threads = threads,
        Dropout = 0.3,
        Seed = 9,
        CheckpointEvery = checkpoints is null ? 0 : 1,
        CheckpointDirectory = checkpoints,
    };

    [Fact]
    public void Dropout_fits_are_bit_identical_across_thread_counts_and_across_checkpoint_and_resume()
    {
        Mlp<float> one = FitWide(1);
        Assert.Equal(one.Parameters.ToArray(), FitWide(2).Parameters.ToArray());
        FitWide(1, _directory, epochs: 2);
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(1, _directory, 3));
        Assert.Equal(one.Parameters.ToArray(), FitWide(1, resumed: resumed).Parameters.ToArray());
    }

    [Fact]
    public void Evaluation_runs_without_dropout()
    {
        (Dataset<double> train, Dataset<double> validation) = Overfitting();
        var model = new Mlp<double>([1, 16, 1], Activation.Tanh, Activation.Identity, 1);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Optimizer = Optimizer.Adam(0.01), Epochs = 5, Dropout = 0.5 });
        TrainingHistory h = trainer.Fit(train, validation);
        // The last epoch's validation loss is the frozen (dropout-free) model's, and evaluating twice agrees.
        Assert.Equal(h.ValidationLoss[^1], model.Freeze().Evaluate(validation).Loss, 12);
        Assert.Equal(trainer.Evaluate(validation).Loss, trainer.Evaluate(validation).Loss);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_rate_outside_0_to_1_is_refused(double rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<float>(new Mlp<float>([2, 3, 1], Activation.Tanh, Activation.Identity, 1),
            new TrainerOptions<float> { Dropout = rate }));
        Assert.Equal("options.Dropout", e.ParamName);
    }

    [Fact]
    public void A_model_without_hidden_layers_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(new Mlp<float>([2, 1], Activation.Tanh, Activation.Identity, 1),
            new TrainerOptions<float> { Dropout = 0.2 }));
        Assert.Equal("options.Dropout", e.ParamName);
    }
}
