using FastMlp.Tests.Serialization;
using Xunit;

namespace FastMlp.Tests.Model;

public class InferenceEvaluationTests
{
    [Theory]
    [InlineData(Loss.SoftmaxCrossEntropy, 4)]
    [InlineData(Loss.BinaryCrossEntropy, 1)]
    [InlineData(Loss.MeanSquaredError, 2)]
    [InlineData(Loss.MeanAbsoluteError, 1)]
    public void A_full_model_scores_as_the_trainer_does(Loss loss, int outputs)
    {
        bool classify = loss is Loss.SoftmaxCrossEntropy or Loss.BinaryCrossEntropy;
        Activation output = loss switch { Loss.SoftmaxCrossEntropy => Activation.Softmax, Loss.BinaryCrossEntropy => Activation.Sigmoid, _ => Activation.Identity };
        Mlp<double> model = TestModels.Create<double>([6, 16, outputs], Activation.Tanh, output, 3, standardize: true);
        model.Loss = loss;
        const int rows = 300;
        double[] x = TestModels.RandomInputs<double>(rows * 6, 4);
        var random = new Random(5);
        Dataset<double> data = classify
            ? Dataset<double>.ForClassification(x, Enumerable.Range(0, rows).Select(_ => random.Next(Math.Max(outputs, 2))).ToArray(), 6, Math.Max(outputs, 2))
            : Dataset<double>.ForRegression(x, TestModels.RandomInputs<double>(rows * outputs, 6), 6, outputs);
        EvaluationResult expected;
        using (var trainer = new Trainer<double>(model, new TrainerOptions<double> { Loss = loss }))
        {
            expected = trainer.Evaluate(data);
        }
        EvaluationResult actual = model.Freeze().Evaluate(data);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Loss, actual.Loss, 1e-9);
        if (classify)
        {
            Assert.Equal(expected.Accuracy, actual.Accuracy);
            Assert.Equal(expected.ConfusionMatrix, actual.ConfusionMatrix);
            Assert.Equal(expected.BalancedAccuracy, actual.BalancedAccuracy);
            Assert.Equal(expected.PerClass, actual.PerClass);
            Assert.Equal(expected.MacroAverage, actual.MacroAverage);
            Assert.Equal(expected.RocAuc, actual.RocAuc, 1e-9);
            Assert.Equal(expected.LogLoss, actual.LogLoss, 1e-9);
            Assert.InRange(actual.RocAuc, 0, 1);
        }
        else
        {
            Assert.Equal(expected.MeanSquaredError, actual.MeanSquaredError, 1e-9);
            Assert.Equal(expected.MeanAbsoluteError, actual.MeanAbsoluteError, 1e-9);
            Assert.Equal(expected.RSquared, actual.RSquared, 1e-9);
        }
    }

    [Fact]
    public void An_int8_model_is_scored_on_its_own_predictions()
    {
        Mlp<float> model = TestModels.Create<float>([30, 64, 3], Activation.ReLU, Activation.Identity, 8, standardize: false);
        InferenceModel<float> int8 = model.Freeze().Quantize(WeightPrecision.Int8);
        const int rows = 50;
        float[] x = TestModels.RandomInputs<float>(rows * 30, 1);
        float[] targets = new float[rows * 3];
        int8.Predict(x, targets, rows);
        // Targets equal to the int8 predictions: a perfect score only if Evaluate runs the int8 model.
        EvaluationResult result = int8.Evaluate(Dataset<float>.ForRegression(x, targets, 30, 3));
        Assert.Equal(0, result.MeanSquaredError);
        Assert.True(model.Freeze().Evaluate(Dataset<float>.ForRegression(x, targets, 30, 3)).MeanSquaredError > 0);
    }

    [Fact]
    public void A_mismatched_dataset_is_rejected_naming_the_counts()
    {
        InferenceModel<float> model = new Mlp<float>([4, 3], Activation.ReLU, Activation.Softmax, 1).Freeze();
        var e = Assert.Throws<ArgumentException>(() => model.Evaluate(Dataset<float>.ForClassification(new float[10], [0, 1], 5, 2)));
        Assert.Contains("5 features, but the model has 4 inputs", e.Message);
    }
}
