using Xunit;

namespace FastMlp.Tests.Training;

public class BadInputTests
{
    private static Trainer<double> NewTrainer(out Mlp<double> model)
    {
        model = new Mlp<double>([3, 4, 2], Activation.Tanh, Activation.Softmax, 1);
        return new Trainer<double>(model, new TrainerOptions<double> { Loss = Loss.SoftmaxCrossEntropy, BatchSize = 2 });
    }

    [Fact]
    public void Step_rejects_wrong_lengths_batch_zero_and_non_finite_values()
    {
        using Trainer<double> t = NewTrainer(out _);
        Assert.Contains("needs 6", Assert.Throws<ArgumentException>("inputs", () => t.Step(new double[5], new double[4], 2)).Message);
        Assert.Contains("needs 4", Assert.Throws<ArgumentException>("targets", () => t.Step(new double[6], new double[3], 2)).Message);
        Assert.Contains("must be ≥ 1", Assert.Throws<ArgumentOutOfRangeException>("batchSize", () => t.Step([], [], 0)).Message);
        var ex = Assert.Throws<ArgumentException>("inputs", () => t.Step([1, 2, 3, 4, double.NaN, 6], [1, 0, 0, 1], 2));
        Assert.Contains("row 1, column 1 is NaN", ex.Message);
        Assert.Contains("row 0, column 1", Assert.Throws<ArgumentException>("targets", () => t.Step(new double[6], [1, double.PositiveInfinity, 0, 1], 2)).Message);
    }

    [Fact]
    public void Non_finite_values_do_not_update_the_weights()
    {
        using Trainer<double> t = NewTrainer(out Mlp<double> model);
        double[] before = model.GetWeights(0).ToArray();
        Assert.Throws<ArgumentException>(() => t.Step([double.NaN, 2, 3, 4, 5, 6], [1, 0, 0, 1], 2));
        Assert.Equal(before, model.GetWeights(0).ToArray());
    }

    [Fact]
    public void Model_construction_rejects_bad_sizes_and_parameters()
    {
        Assert.Contains("Layer size 1 must be ≥ 1, but was 0", Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<float>([3, 0, 2], Activation.ReLU, Activation.Identity, 1)).Message);
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => new Mlp<float>([3], Activation.ReLU, Activation.Identity, 1)).Message);
        var model = new Mlp<float>([3, 2], Activation.ReLU, Activation.Identity, 1);
        Assert.Contains("3×2 = 6 weights, but 5", Assert.Throws<ArgumentException>(() => model.SetWeights(0, new float[5])).Message);
        Assert.Contains("2 biases, but 3", Assert.Throws<ArgumentException>(() => model.SetBiases(0, new float[3])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => model.SetBiases(0, [1, float.NaN])).Message);
        Assert.Throws<ArgumentOutOfRangeException>("layer", () => model.GetWeights(1));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_positive_learning_rates_are_rejected(double rate)
    {
        Assert.Contains("Learning rate must be a finite number > 0", Assert.Throws<ArgumentOutOfRangeException>("learningRate", () => Optimizer.Sgd(rate)).Message);
        Assert.Throws<ArgumentOutOfRangeException>("learningRate", () => Optimizer.Adam(rate));
        Assert.Throws<ArgumentOutOfRangeException>("learningRate", () => Optimizer.AdamW(rate));
    }

    [Fact]
    public void Other_optimizer_hyperparameters_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("momentum", () => Optimizer.Sgd(0.1, momentum: 1));
        Assert.Throws<ArgumentException>("nesterov", () => Optimizer.Sgd(0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>("beta2", () => Optimizer.Adam(beta2: 1));
        Assert.Throws<ArgumentOutOfRangeException>("weightDecay", () => Optimizer.AdamW(weightDecay: -1));
    }

    [Fact]
    public void Trainer_options_and_pairings_are_checked()
    {
        var softmax = new Mlp<double>([3, 2], Activation.Tanh, Activation.Softmax, 1);
        var linear = new Mlp<double>([3, 2], Activation.Tanh, Activation.Identity, 1);
        Assert.Contains("needs a Softmax output", Assert.Throws<ArgumentException>(() => new Trainer<double>(linear, new TrainerOptions<double> { Loss = Loss.SoftmaxCrossEntropy })).Message);
        Assert.Contains("needs a Sigmoid output", Assert.Throws<ArgumentException>(() => new Trainer<double>(softmax, new TrainerOptions<double> { Loss = Loss.BinaryCrossEntropy })).Message);
        Assert.Contains("Batch size", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(linear, new TrainerOptions<double> { BatchSize = 0 })).Message);
        Assert.Contains("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(linear, new TrainerOptions<double> { Epochs = 0 })).Message);
        Assert.Contains("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(linear, new TrainerOptions<double> { EarlyStopping = new EarlyStopping { Patience = 0 } })).Message);
    }

    [Fact]
    public void Fit_rejects_datasets_that_do_not_match_the_model()
    {
        using Trainer<double> t = NewTrainer(out _);
        var wrongFeatures = Dataset<double>.ForClassification(new double[4], [0, 1], 2, 2);
        Assert.Contains("2 features, but the model has 3 inputs", Assert.Throws<ArgumentException>("train", () => t.Fit(wrongFeatures, null)).Message);
        var wrongClasses = Dataset<double>.ForClassification(new double[6], [0, 2], 3, 3);
        Assert.Contains("3 classes, but the model has 2 outputs", Assert.Throws<ArgumentException>("validation", () => t.Fit(Dataset<double>.ForClassification(new double[6], [0, 1], 3, 2), wrongClasses)).Message);
    }

    [Fact]
    public void Predict_rejects_wrong_lengths_and_a_disposed_trainer_throws()
    {
        InferenceModel<double> frozen = new Mlp<double>([3, 2], Activation.Tanh, Activation.Identity, 1).Freeze();
        Assert.Throws<ArgumentException>("inputs", () => frozen.Predict(new double[4], new double[2]));
        Assert.Throws<ArgumentException>("outputs", () => frozen.Predict(new double[6], new double[2], 2));
        Assert.Throws<ArgumentOutOfRangeException>("batchSize", () => frozen.Predict([], [], 0));
        Trainer<double> t = NewTrainer(out _);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t.Step(new double[3], [1, 0], 1));
    }
}
