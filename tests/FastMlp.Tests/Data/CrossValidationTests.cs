using Xunit;

namespace FastMlp.Tests.Data;

/// <summary>k-fold cross-validation: the folds, no leakage, and the summary statistics.</summary>
public class CrossValidationTests
{
    [Fact]
    public void Folds_partition_the_rows_with_sizes_within_one()
    {
        IReadOnlyList<(int[] Train, int[] Test)> folds = CrossValidation.Folds(23, 5, seed: 3);
        Assert.Equal(5, folds.Count);
        Assert.Equal(Enumerable.Range(0, 23), folds.SelectMany(f => f.Test).Order());
        foreach ((int[] train, int[] test) in folds)
        {
            Assert.Empty(train.Intersect(test));
            Assert.Equal(23, train.Length + test.Length);
            Assert.InRange(test.Length, 4, 5);
        }
        Assert.Equal(folds.Select(f => f.Test), CrossValidation.Folds(23, 5, seed: 3).Select(f => f.Test));
        Assert.NotEqual(folds.Select(f => f.Test), CrossValidation.Folds(23, 5, seed: 4).Select(f => f.Test));
    }

    [Fact]
    public void Stratified_folds_keep_each_class_within_one_row_of_even()
    {
        // 30 of class 0, 9 of class 1, 6 of class 2: 3 folds get 10, 3 and 2 of each.
        int[] labels = [.. Enumerable.Repeat(0, 30), .. Enumerable.Repeat(1, 9), .. Enumerable.Repeat(2, 6)];
        new Random(1).Shuffle(labels);
        IReadOnlyList<(int[] Train, int[] Test)> folds = CrossValidation.Folds(labels.Length, 3, seed: 7, labels);
        Assert.Equal(Enumerable.Range(0, labels.Length), folds.SelectMany(f => f.Test).Order());
        foreach ((_, int[] test) in folds)
        {
            Assert.Equal(10, test.Count(r => labels[r] == 0));
            Assert.Equal(3, test.Count(r => labels[r] == 1));
            Assert.Equal(2, test.Count(r => labels[r] == 2));
        }
    }

    [Fact]
    public void More_folds_than_the_smallest_class_has_rows_are_refused_naming_it()
    {
        int[] labels = [0, 0, 0, 0, 0, 1, 1, 1];
        var e = Assert.Throws<ArgumentException>(() => CrossValidation.Folds(8, 4, seed: 1, labels, ["no", "yes"]));
        Assert.Equal("folds", e.ParamName);
        Assert.StartsWith("4 stratified folds need at least 4 rows of every class, but class 'yes' has 3; use at most 3 folds.", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Folds(8, 1, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Folds(3, 4, seed: 1));
    }

    private static Dataset<double> Separable(int rows = 90)
    {
        var random = new Random(2);
        var x = new double[rows * 2];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = r % 3;
            x[2 * r] = labels[r] * 3 + random.NextDouble() + 100;
            x[2 * r + 1] = random.NextDouble() * 50;
        }
        return Dataset<double>.ForClassification(x, labels, 2, 3, ["a", "b", "c"]);
    }

    [Fact]
    public void Each_folds_standardizer_is_fitted_on_its_training_rows_only()
    {
        Dataset<double> data = Separable();
        var models = new List<Mlp<double>>();
        var options = new TrainerOptions<double> { Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam(0.05), Epochs = 20, Standardize = true, Seed = 1 };
        CrossValidationResult result = CrossValidation.Run(data, 3, seed: 5, (f, _) => { models.Add(new Mlp<double>([2, 8, 3], Activation.Tanh, Activation.Softmax, f)); return models[^1]; }, options);
        IReadOnlyList<(int[] Train, int[] Test)> folds = CrossValidation.Folds(data.Rows, 3, 5, data.Labels.Span);
        double[] x = data.Features.ToArray();
        for (int f = 0; f < 3; f++)
        {
            double trainMean = folds[f].Train.Average(r => x[2 * r]), allMean = Enumerable.Range(0, data.Rows).Average(r => x[2 * r]);
            Assert.Equal(trainMean, models[f].Standardizer!.Mean[0], 10);
            Assert.NotEqual(allMean, models[f].Standardizer!.Mean[0], 10);
            Assert.Equal(folds[f].Test.Length, result.Folds[f].Rows);
        }
        Assert.True(result.Summary(r => r.Accuracy).Mean > 0.9, $"mean accuracy {result.Summary(r => r.Accuracy).Mean}");
        // Seeded: the same run gives the same scores.
        CrossValidationResult again = CrossValidation.Run(data, 3, seed: 5, (f, _) => new Mlp<double>([2, 8, 3], Activation.Tanh, Activation.Softmax, f), options);
        Assert.Equal(result.Folds.Select(r => r.Loss), again.Folds.Select(r => r.Loss));
    }

    [Fact]
    public void With_early_stopping_each_fold_validates_on_a_fifth_of_its_training_part()
    {
        Dataset<double> data = Separable(100);
        var options = new TrainerOptions<double>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(0.05),
            Epochs = 30,
            Standardize = true,
            EarlyStopping = new EarlyStopping { Patience = 3 },
        };
        CrossValidationResult result = CrossValidation.Run(data, 4, seed: 5, (f, _) => new Mlp<double>([2, 8, 3], Activation.Tanh, Activation.Softmax, f), options);
        Assert.All(result.Histories, h => Assert.False(double.IsNaN(h.ValidationLoss[0])));
        Assert.Equal(100, result.Folds.Sum(r => r.Rows));
    }

    [Fact]
    public void Summary_is_the_mean_and_population_deviation_of_the_defined_folds()
    {
        var result = new CrossValidationResult(
            [new EvaluationResult(0, 10) { Accuracy = 0.8 }, new EvaluationResult(0, 10) { Accuracy = 0.6 }, new EvaluationResult(0, 10) { Accuracy = double.NaN }], []);
        (double mean, double std) = result.Summary(r => r.Accuracy);
        Assert.Equal(0.7, mean, 12);
        Assert.Equal(0.1, std, 12);
        Assert.True(double.IsNaN(result.Summary(r => r.RocAuc).Mean));
    }
}
