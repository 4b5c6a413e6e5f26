using FastMlp.Evaluation;
using Xunit;

namespace FastMlp.Tests.Evaluation;

/// <summary>Classification metrics against cases computed by hand with scikit-learn's definitions.</summary>
public class ClassificationMetricTests
{
    private static EvaluationResult Score(double[] probabilities, int[] labels, int classes, double threshold = 0.5)
    {
        int outputs = probabilities.Length / labels.Length;
        var metrics = MetricAccumulator.For<double>(outputs, classes, labels.Length, threshold);
        // Two batches, so that rows kept across batches are tested too.
        int half = labels.Length / 2;
        metrics.AddClassification<double>(probabilities.AsSpan(0, half * outputs), labels.AsSpan(0, half), half, crossEntropyLoss: true);
        metrics.AddClassification<double>(probabilities.AsSpan(half * outputs), labels.AsSpan(half), labels.Length - half, crossEntropyLoss: true);
        return metrics.Result();
    }

    // Predictions 0,1,1,0,0,0 for labels 0,0,1,1,2,0: class 2 is never predicted.
    private static readonly double[] ThreeClassProbabilities =
    [
        0.6, 0.3, 0.1,
        0.3, 0.5, 0.2,
        0.2, 0.7, 0.1,
        0.5, 0.4, 0.1,
        0.4, 0.3, 0.3,
        0.7, 0.2, 0.1,
    ];

    private static readonly int[] ThreeClassLabels = [0, 0, 1, 1, 2, 0];

    [Fact]
    public void A_class_never_predicted_gets_zero_precision_and_counts_in_the_macro_average()
    {
        EvaluationResult r = Score(ThreeClassProbabilities, ThreeClassLabels, 3);
        // Confusion: true 0 → {2, 1, 0}, true 1 → {1, 1, 0}, true 2 → {1, 0, 0}.
        Assert.Equal(new int[,] { { 2, 1, 0 }, { 1, 1, 0 }, { 1, 0, 0 } }, r.ConfusionMatrix);
        Assert.Equal(0.5, r.Accuracy, 15);
        IReadOnlyList<ClassMetrics> c = r.PerClass!;
        Same(new ClassMetrics(0.5, 2.0 / 3, 4.0 / 7, 3), c[0]);
        Same(new ClassMetrics(0.5, 0.5, 0.5, 2), c[1]);
        Same(new ClassMetrics(0, 0, 0, 1), c[2]);
        Same(new ClassMetrics(1.0 / 3, 7.0 / 18, 5.0 / 14, 6), r.MacroAverage);
        Same(new ClassMetrics(5.0 / 12, 0.5, 19.0 / 42, 6), r.WeightedAverage);
        Assert.Equal(7.0 / 18, r.BalancedAccuracy, 15);
    }

    [Fact]
    public void One_vs_rest_roc_auc_is_the_mean_of_the_per_class_areas()
    {
        EvaluationResult r = Score(ThreeClassProbabilities, ThreeClassLabels, 3);
        // Class 0: 7 of 9 (positive, negative) pairs ordered; class 1: 7 of 8; class 2: 5 of 5.
        Assert.Equal((7.0 / 9 + 7.0 / 8 + 1) / 3, r.RocAuc, 15);
    }

    [Fact]
    public void Log_loss_is_the_mean_negative_log_probability_of_the_true_class()
    {
        EvaluationResult r = Score(ThreeClassProbabilities, ThreeClassLabels, 3);
        double expected = -(Math.Log(0.6) + Math.Log(0.3) + Math.Log(0.7) + Math.Log(0.4) + Math.Log(0.3) + Math.Log(0.7)) / 6;
        Assert.Equal(expected, r.LogLoss, 14);
        Assert.Equal(expected, r.Loss, 14);
    }

    [Fact]
    public void A_class_absent_from_the_data_counts_in_macro_but_not_in_balanced_accuracy()
    {
        // Five classes; labels 0,1,2,0 predicted 0,3,2,0: class 3 only predicted, class 4 nowhere.
        double[] p =
        [
            0.9, 0, 0, 0.1, 0,
            0.1, 0.2, 0, 0.7, 0,
            0, 0, 1, 0, 0,
            0.6, 0.2, 0.1, 0.1, 0,
        ];
        EvaluationResult r = Score(p, [0, 1, 2, 0], 5);
        Same(new ClassMetrics(0, 0, 0, 0), r.PerClass![3]);
        Same(new ClassMetrics(0, 0, 0, 0), r.PerClass![4]);
        // Macro over classes 0–3 (scikit-learn's labels: those in the data or the predictions); class 4 left out.
        Same(new ClassMetrics(0.5, 0.5, 0.5, 4), r.MacroAverage);
        Same(new ClassMetrics(0.75, 0.75, 0.75, 4), r.WeightedAverage);
        Assert.Equal(2.0 / 3, r.BalancedAccuracy, 15);
        // Class 3 has no positive row and class 4 neither: the one-vs-rest mean runs over classes 0–2.
        // Class 1: its positive (0.2) ties one of three negatives.
        double auc0 = 4.0 / 4, auc1 = 2.5 / 3, auc2 = 3.0 / 3;
        Assert.Equal((auc0 + auc1 + auc2) / 3, r.RocAuc, 15);
    }

    [Theory]
    // Positives 0.5, 0.9 and negatives 0.5, 0.2: the tie counts one half, (0.5 + 1 + 1 + 1) / 4.
    [InlineData(new[] { 0.5, 0.5, 0.2, 0.9 }, new[] { 0, 1, 0, 1 }, 0.875)]
    // A three-way tie at 0.3 (one positive, two negatives): (0.5 + 0.5 + 1) + 3, over 2 · 3 pairs.
    [InlineData(new[] { 0.3, 0.3, 0.3, 0.8, 0.1 }, new[] { 1, 0, 0, 1, 0 }, 5.0 / 6)]
    // Every score tied: chance.
    [InlineData(new[] { 0.4, 0.4, 0.4, 0.4 }, new[] { 1, 0, 0, 1 }, 0.5)]
    // Perfectly reversed.
    [InlineData(new[] { 0.9, 0.8, 0.2, 0.1 }, new[] { 0, 0, 1, 1 }, 0.0)]
    public void Binary_roc_auc_gives_ties_their_average_rank(double[] scores, int[] labels, double expected)
    {
        Assert.Equal(expected, Score(scores, labels, 2).RocAuc, 15);
        // The same scores as a two-output model (second column: the positive class).
        double[] twoColumns = scores.SelectMany(s => new[] { 1 - s, s }).ToArray();
        Assert.Equal(expected, Score(twoColumns, labels, 2).RocAuc, 15);
    }

    [Fact]
    public void Roc_auc_of_data_with_a_single_class_is_nan()
    {
        Assert.True(double.IsNaN(Score([0.2, 0.7, 0.4], [1, 1, 1], 2).RocAuc));
    }

    [Fact]
    public void Binary_log_loss_uses_one_minus_p_for_the_negative_class_and_clips_at_the_machine_epsilon()
    {
        EvaluationResult r = Score([0.8, 0.3], [1, 0], 2);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.7)) / 2, r.LogLoss, 15);
        // A certain, wrong prediction costs −log ε: ε = 2⁻⁵² for double, 2⁻²³ for float (scikit-learn's eps="auto").
        Assert.Equal(52 * Math.Log(2) / 2, Score([1.0, 1.0], [1, 0], 2).LogLoss, 12);
        var single = MetricAccumulator.For<float>(1, 2, 2, 0.5);
        single.AddClassification<float>([1f, 0f], [0, 1], 2, crossEntropyLoss: false);
        Assert.Equal(23 * Math.Log(2), single.Result().LogLoss, 5);
    }

    [Fact]
    public void The_decision_threshold_moves_binary_predictions()
    {
        double[] p = [0.3, 0.6, 0.8, 0.65];
        int[] labels = [0, 1, 1, 0];
        Assert.Equal(0.75, Score(p, labels, 2).Accuracy, 15);
        EvaluationResult strict = Score(p, labels, 2, threshold: 0.7);
        Assert.Equal(0.75, strict.Accuracy, 15);
        Assert.Equal(new int[,] { { 2, 0 }, { 1, 1 } }, strict.ConfusionMatrix);
        // ROC-AUC does not depend on the threshold.
        Assert.Equal(Score(p, labels, 2).RocAuc, strict.RocAuc);
    }

    [Theory]
    [InlineData(new[] { 0.4, 0.6 }, 0.5, 1)]
    [InlineData(new[] { 0.4, 0.6 }, 0.7, 0)]
    [InlineData(new[] { 0.5, 0.5 }, 0.5, 0)]
    [InlineData(new[] { 0.7 }, 0.7, 0)]
    [InlineData(new[] { 0.71 }, 0.7, 1)]
    [InlineData(new[] { 0.2, 0.5, 0.3 }, 0.5, 1)]
    public void Predicted_class_applies_the_threshold_to_binary_outputs_only(double[] outputs, double threshold, int expected)
    {
        Assert.Equal(expected, MetricAccumulator.PredictedClass<double>(outputs, threshold));
    }

    private static void Same(ClassMetrics expected, ClassMetrics actual)
    {
        Assert.Equal(expected.Precision, actual.Precision, 14);
        Assert.Equal(expected.Recall, actual.Recall, 14);
        Assert.Equal(expected.F1, actual.F1, 14);
        Assert.Equal(expected.Support, actual.Support);
    }
}
