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
    public void Prepare_sees_each_folds_own_rows_so_its_schema_comes_from_its_training_rows_only()
    {
        // 30 rows, folds by hand: fold f holds out the rows r with r % 3 == f. 'Paris' occurs only in rows 0, 3 and 6, all
        // held out by fold 0, so fold 0's schema must not know it; x's fill value must be the mean of the fold's training x.
        const int n = 30;
        string?[][] raw = [.. Enumerable.Range(0, n).Select(r => new[]
        {
            r % 5 == 4 ? "NA" : (r * r % 17).ToString(System.Globalization.CultureInfo.InvariantCulture),
            r is 0 or 3 or 6 ? "Paris" : r % 2 == 0 ? "Oslo" : "Rome",
        })];
        int[] labels = [.. Enumerable.Range(0, n).Select(r => (r / 2) % 2)];
        (int[] Train, int[] Test)[] folds = [.. Enumerable.Range(0, 3).Select(f => (
            Enumerable.Range(0, n).Where(r => r % 3 != f).ToArray(), Enumerable.Range(0, n).Where(r => r % 3 == f).ToArray()))];
        var calls = new List<(int Fold, int[] Train, int[] Test)>();
        var schemas = new TabularSchema[3];
        var unseen = new int[3];
        var tests = new Dataset<double>[3];
        var models = new Mlp<double>[3];

        (Dataset<double>, Dataset<double>) Prepare(int f, int[] train, int[] test)
        {
            calls.Add((f, train, test));
            schemas[f] = TabularSchema.Fit(["x", "city"], [.. train.Select(r => raw[r])]);
            Dataset<double> Part(int[] rows, out int unseenCells)
            {
                TabularBatch<double> batch = schemas[f].Encode<double>([.. rows.Select(r => raw[r])]);
                unseenCells = batch.UnseenCount;
                return Dataset<double>.ForClassification(batch.Features, [.. rows.Select(r => labels[r])], schemas[f].FeatureCount, 2);
            }
            Dataset<double> trainPart = Part(train, out _);
            tests[f] = Part(test, out unseen[f]);
            return (trainPart, tests[f]);
        }
        var options = new TrainerOptions<double> { Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam(0.05), Epochs = 3, Standardize = true, Seed = 1 };
        CrossValidationResult result = CrossValidation.Run(folds, Prepare,
            (f, train) => models[f] = new Mlp<double>([train.FeatureCount, 4, 2], Activation.Tanh, Activation.Softmax, f), options, seed: 3);

        Assert.Equal([0, 1, 2], calls.Select(c => c.Fold));
        for (int f = 0; f < 3; f++)
        {
            Assert.Equal(folds[f].Train, calls[f].Train);
            Assert.Equal(folds[f].Test, calls[f].Test);
            double trainMean = folds[f].Train.Where(r => r % 5 != 4).Average(r => (double)(r * r % 17));
            Assert.Equal(trainMean, schemas[f].Columns[0].FillValue, 12);
            // Each fold's model is built for and trained on its own encoding, and scored on its own held-out part.
            Assert.Equal(schemas[f].FeatureCount, models[f].InputCount);
            Assert.Equal(folds[f].Test.Length, result.Folds[f].Rows);
            using InferenceModel<double> frozen = models[f].Freeze();
            Assert.Equal(frozen.Evaluate(tests[f]).Loss, result.Folds[f].Loss);
        }
        double allMean = Enumerable.Range(0, n).Where(r => r % 5 != 4).Average(r => (double)(r * r % 17));
        Assert.All(schemas, s => Assert.NotEqual(allMean, s.Columns[0].FillValue, 6));
        Assert.Equal(["Oslo", "Rome"], schemas[0].Columns[1].Categories);
        Assert.Equal(["Oslo", "Paris", "Rome"], schemas[1].Columns[1].Categories);
        Assert.Equal(["Oslo", "Paris", "Rome"], schemas[2].Columns[1].Categories);
        Assert.Equal([3, 0, 0], unseen);
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
