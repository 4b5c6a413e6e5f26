using Xunit;

namespace FastMlp.Tests.Model;

/// <summary><see cref="InferenceModel{T}.Evaluate"/> against metrics computed by hand on an identity network (predictions = inputs).</summary>
public sealed class EvaluationMetricTests
{
    /// <summary>outputs = inputs exactly: W = I, b = 0, identity output.</summary>
    private static Mlp<double> Identity(int width, Activation output = Activation.Identity)
    {
        var model = new Mlp<double>([width, width], Activation.Identity, output, 1);
        var w = new double[width * width];
        for (int i = 0; i < width; i++)
        {
            w[i * width + i] = 1;
        }
        model.SetWeights(0, w);
        return model;
    }

    [Fact]
    public void Regression_metrics_match_the_hand_computation()
    {
        // Predictions (column 0, column 1) and targets; errors e = p − t.
        double[] predictions = [1, 10, 2, 20, 4, 30];
        double[] targets = [2, 10, 2, 22, 1, 27];
        // column 0: e = (−1, 0, 3); column 1: e = (0, −2, 3)
        EvaluationResult r = Identity(2).Freeze().Evaluate(Dataset<double>.ForRegression(predictions, targets, 2, 2));
        Assert.Equal(3, r.Rows);
        Assert.Equal((1 + 0 + 9 + 0 + 4 + 9) / 6.0, r.MeanSquaredError, 1e-15);
        Assert.Equal((1 + 0 + 3 + 0 + 2 + 3) / 6.0, r.MeanAbsoluteError, 1e-15);
        // Loss: MSE per row averaged over outputs, then over rows (MSE when the loss is unknown).
        Assert.Equal(r.MeanSquaredError, r.Loss, 1e-15);
        // R² per column: 1 − SSE/SST; column 0 targets (2, 2, 1): mean 5/3, SST = 2/3, SSE = 10;
        // column 1 targets (10, 22, 27): mean 59/3, SST = 152.67, SSE = 13.
        double sst0 = 4 + 4 + 1 - 25.0 / 3, sst1 = 100 + 484 + 729 - 59.0 * 59 / 3;
        Assert.Equal(((1 - 10 / sst0) + (1 - 13 / sst1)) / 2, r.RSquared, 1e-12);
        Assert.True(double.IsNaN(r.Accuracy));
        Assert.Null(r.ConfusionMatrix);
        // Each column on its own (scikit-learn's multioutput="raw_values").
        Assert.NotNull(r.PerTarget);
        Assert.Equal(2, r.PerTarget.Count);
        Assert.Equal(Math.Sqrt(10 / 3.0), r.PerTarget[0].RootMeanSquaredError, 1e-15);
        Assert.Equal(Math.Sqrt(13 / 3.0), r.PerTarget[1].RootMeanSquaredError, 1e-15);
        Assert.Equal(4 / 3.0, r.PerTarget[0].MeanAbsoluteError, 1e-15);
        Assert.Equal(5 / 3.0, r.PerTarget[1].MeanAbsoluteError, 1e-15);
        Assert.Equal(1 - 10 / sst0, r.PerTarget[0].RSquared, 1e-12);
        Assert.Equal(1 - 13 / sst1, r.PerTarget[1].RSquared, 1e-12);
        // One output: the pooled figures are the target's own, no per-target list.
        Assert.Null(Identity(1).Freeze().Evaluate(Dataset<double>.ForRegression([1, 2, 4], [2, 2, 1], 1)).PerTarget);
    }

    [Fact]
    public void The_mean_absolute_error_loss_is_used_when_the_model_records_it()
    {
        Mlp<double> model = Identity(2);
        model.Loss = Loss.MeanAbsoluteError;
        EvaluationResult r = model.Freeze().Evaluate(Dataset<double>.ForRegression([1, 10, 2, 20], [2, 10, 2, 23], 2, 2));
        Assert.Equal((1 + 0 + 0 + 3) / 4.0, r.Loss, 1e-15);
        Assert.Equal((1 + 0 + 0 + 9) / 4.0, r.MeanSquaredError, 1e-15);
    }

    [Fact]
    public void R_squared_of_a_constant_target_is_one_when_exact_and_zero_otherwise()
    {
        Assert.Equal(1, Identity(1).Freeze().Evaluate(Dataset<double>.ForRegression([5, 5, 5], [5, 5, 5], 1)).RSquared);
        Assert.Equal(0, Identity(1).Freeze().Evaluate(Dataset<double>.ForRegression([5, 6, 5], [5, 5, 5], 1)).RSquared);
    }

    [Fact]
    public void Classification_counts_accuracy_confusion_and_cross_entropy_over_several_batches()
    {
        // 600 rows (three evaluation batches of up to 256): row i predicts class i % 3 with probability 0.5,
        // the others 0.25; the label is i % 3 except every fifth row, labelled (i + 1) % 3.
        const int rows = 600;
        var x = new double[rows * 3];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                x[i * 3 + k] = k == i % 3 ? 0.5 : 0.25;
            }
            labels[i] = i % 5 == 0 ? (i + 1) % 3 : i % 3;
        }
        EvaluationResult r = Identity(3).Freeze().Evaluate(Dataset<double>.ForClassification(x, labels, 3, 3));
        Assert.Equal(rows, r.Rows);
        Assert.Equal(480.0 / 600, r.Accuracy, 1e-15);
        Assert.Equal((480 * -Math.Log(0.5) + 120 * -Math.Log(0.25)) / 600, r.Loss, 1e-12);
        int[,] confusion = r.ConfusionMatrix!;
        int[,] expected = new int[3, 3];
        for (int i = 0; i < rows; i++)
        {
            expected[labels[i], i % 3]++;
        }
        Assert.Equal(expected, confusion);
        Assert.True(double.IsNaN(r.MeanSquaredError));
    }

    [Fact]
    public void A_single_sigmoid_output_is_class_one_above_one_half()
    {
        // Outputs (identity) 0.9, 0.5, 0.2, 0.6 with labels 1, 0, 0, 0: the guesses are 1, 0 (0.5 is not above), 0, 1.
        EvaluationResult r = Identity(1).Freeze().Evaluate(Dataset<double>.ForClassification([0.9, 0.5, 0.2, 0.6], [1, 0, 0, 0], 1, 2));
        Assert.Equal(0.75, r.Accuracy);
        Assert.Equal(new[,] { { 2, 1 }, { 0, 1 } }, r.ConfusionMatrix);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.5) + Math.Log(0.8) + Math.Log(0.4)) / 4, r.Loss, 1e-12);
    }

    [Fact]
    public void A_probability_of_zero_costs_a_bounded_loss()
    {
        EvaluationResult r = Identity(2).Freeze().Evaluate(Dataset<double>.ForClassification([0, 1], [0], 2, 2));
        Assert.Equal(-Math.Log(1e-15), r.Loss, 1e-9);
        Assert.Equal(0, r.Accuracy);
    }

    [Fact]
    public void Datasets_that_do_not_fit_are_refused_naming_the_counts()
    {
        InferenceModel<double> two = Identity(2).Freeze();
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => two.Evaluate(null!)).ParamName);
        var classes = Assert.Throws<ArgumentException>(() => two.Evaluate(Dataset<double>.ForClassification([0, 1], [2], 2, 3)));
        Assert.Contains("The dataset has 3 classes, but the model has 2 outputs", classes.Message);
        var targets = Assert.Throws<ArgumentException>(() => two.Evaluate(Dataset<double>.ForRegression([0, 1], [0], 2, 1)));
        Assert.Contains("The dataset has 1 targets per row, but the model has 2 outputs", targets.Message);
        var features = Assert.Throws<ArgumentException>(() => two.Evaluate(Dataset<double>.ForRegression([0, 1, 2], [0, 0], 3, 2)));
        Assert.Contains("The dataset has 3 features, but the model has 2 inputs", features.Message);
        Assert.Throws<ArgumentException>(() => Identity(1).Freeze().Evaluate(Dataset<double>.ForClassification([0.0], [0], 1, 3)));
    }
}
