using Xunit;

namespace FastMlp.Tests.Evaluation;

/// <summary>The per-epoch validation inside Fit and Trainer.Evaluate are one computation: the last epoch's figures are Evaluate's, bit for bit.</summary>
public class ValidationMetricTests
{
    [Theory]
    [InlineData(4, Loss.SoftmaxCrossEntropy, 0.5)]
    [InlineData(2, Loss.BinaryCrossEntropy, 0.5)]
    [InlineData(2, Loss.BinaryCrossEntropy, 0.3)]
    [InlineData(0, Loss.MeanSquaredError, 0.5)]
    public void The_last_epochs_validation_figures_are_those_of_Evaluate(int classes, Loss loss, double threshold)
    {
        var random = new Random(9);
        const int rows = 300, features = 5;
        double[] x = [.. Enumerable.Range(0, rows * features).Select(_ => random.NextDouble() * 2 - 1)];
        Dataset<double> all = classes > 0
            ? Dataset<double>.ForClassification(x, [.. Enumerable.Range(0, rows).Select(r => (x[r * features] + x[(r * features) + 1] > 0 ? 1 : 0) + (classes > 2 && x[(r * features) + 2] > 0 ? 2 : 0))], features, classes)
            : Dataset<double>.ForRegression(x, [.. Enumerable.Range(0, rows).Select(r => 3 * x[r * features] - x[(r * features) + 1])], features);
        Dataset<double>[] parts = all.Split(2, 0.7, 0.3);
        int outputs = loss == Loss.BinaryCrossEntropy || classes == 0 ? 1 : classes;
        Activation output = loss switch { Loss.SoftmaxCrossEntropy => Activation.Softmax, Loss.BinaryCrossEntropy => Activation.Sigmoid, _ => Activation.Identity };
        var model = new Mlp<double>([features, 8, outputs], Activation.Tanh, output, 3) { DecisionThreshold = threshold };
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Loss = loss, Optimizer = Optimizer.Adam(0.01), BatchSize = 32, Epochs = 6 });
        TrainingHistory history = trainer.Fit(parts[0], parts[1]);
        EvaluationResult evaluation = trainer.Evaluate(parts[1]);
        Assert.Equal(evaluation.Loss, history.ValidationLoss[^1]);
        Assert.Equal(classes > 0 ? evaluation.Accuracy : evaluation.RSquared, history.ValidationMetric[^1]);
        if (classes > 0)
        {
            // Every epoch's accuracy is a share of the validation rows.
            Assert.All(history.ValidationMetric.ToArray(), a => Assert.Equal(Math.Round(a * parts[1].Rows), a * parts[1].Rows, 9));
        }
    }
}
