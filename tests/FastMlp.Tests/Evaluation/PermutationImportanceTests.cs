using Xunit;

namespace FastMlp.Tests.Evaluation;

public class PermutationImportanceTests
{
    private const int Rows = 200;

    /// <summary>y = 2·x0 + x1 − x2 on rows where x1 = x2: only x0 carries signal, x1 and x2 cancel while they move together.</summary>
    private static (InferenceModel<double> Model, Dataset<double> Data) Linear()
    {
        var model = new Mlp<double>([3, 1], Activation.Identity, Activation.Identity, 1);
        model.SetWeights(0, [2.0, 1.0, -1.0]);
        model.SetBiases(0, [0.0]);
        model.FeatureNames = ["signal", "twin a", "twin b"];
        var random = new Random(4);
        var x = new double[Rows * 3];
        var y = new double[Rows];
        for (int r = 0; r < Rows; r++)
        {
            x[r * 3] = random.NextDouble() * 2 - 1;
            x[(r * 3) + 1] = x[(r * 3) + 2] = random.NextDouble() * 2 - 1;
            y[r] = 2 * x[r * 3];
        }
        return (model.Freeze(), Dataset<double>.ForRegression(x, y, 3));
    }

    [Fact]
    public void Only_the_feature_the_model_uses_loses_score()
    {
        (InferenceModel<double> model, Dataset<double> data) = Linear();
        PermutationImportanceResult result = PermutationImportance.Compute(model, data, repeats: 4, seed: 1, featureGroups: [[0], [1, 2]]);
        Assert.Equal(ImportanceMetric.RSquared, result.Metric);
        Assert.Equal(1.0, result.BaselineScore, 12);
        FeatureImportance signal = result.Groups[0], twins = result.Groups[1];
        Assert.Equal("signal", signal.Name);
        Assert.Equal("twin a+twin b", twins.Name);
        // Shuffled predictions of a perfect model: R² ≈ −1, a drop of ≈ 2.
        Assert.All(signal.Drops, d => Assert.InRange(d, 1.5, 2.5));
        // Shuffled together, the twins still cancel row by row: exactly no drop.
        Assert.All(twins.Drops, d => Assert.Equal(0, d, 12));
        Assert.Equal(signal.Drops.Average(), signal.Mean, 14);
        double populationStd = Math.Sqrt(signal.Drops.Sum(d => (d - signal.Mean) * (d - signal.Mean)) / 4);
        Assert.Equal(populationStd, signal.StandardDeviation, 14);
        Assert.True(signal.StandardDeviation > 0);
    }

    [Fact]
    public void By_default_each_input_is_its_own_group_and_one_of_two_twins_shuffled_alone_matters()
    {
        (InferenceModel<double> model, Dataset<double> data) = Linear();
        PermutationImportanceResult result = PermutationImportance.Compute(model, data, repeats: 3, seed: 1);
        Assert.Equal(["signal", "twin a", "twin b"], result.Groups.Select(g => g.Name));
        Assert.Equal([1], result.Groups[1].Features);
        Assert.True(result.Groups[1].Mean > 0.1, $"twin a alone: {result.Groups[1].Mean}");
    }

    [Fact]
    public void The_result_is_determined_by_the_seed()
    {
        (InferenceModel<double> model, Dataset<double> data) = Linear();
        double[] Drops(int seed) => [.. PermutationImportance.Compute(model, data, 3, seed).Groups.SelectMany(g => g.Drops)];
        Assert.Equal(Drops(7), Drops(7));
        Assert.NotEqual(Drops(7), Drops(8));
    }

    [Fact]
    public void Classification_scores_with_the_chosen_metric()
    {
        // σ(4·x0): the label is x0 > 0; x1 is noise.
        var model = new Mlp<double>([2, 1], Activation.Identity, Activation.Sigmoid, 1);
        model.SetWeights(0, [4.0, 0.0]);
        model.SetBiases(0, [0.0]);
        var random = new Random(2);
        double[] x = [.. Enumerable.Range(0, Rows * 2).Select(_ => random.NextDouble() * 2 - 1)];
        int[] labels = [.. Enumerable.Range(0, Rows).Select(r => x[r * 2] > 0 ? 1 : 0)];
        var data = Dataset<double>.ForClassification(x, labels, 2, 2);
        PermutationImportanceResult result = PermutationImportance.Compute(model.Freeze(), data, 2, 3, ImportanceMetric.RocAuc);
        Assert.Equal(1.0, result.BaselineScore);
        Assert.InRange(result.Groups[0].Mean, 0.3, 0.7);
        Assert.Equal(0, result.Groups[1].Mean);
        Assert.Equal(ImportanceMetric.Accuracy, PermutationImportance.Compute(model.Freeze(), data, 1).Metric);
    }

    [Fact]
    public void A_cancelled_token_stops_the_computation()
    {
        (InferenceModel<double> model, Dataset<double> data) = Linear();
        Assert.ThrowsAny<OperationCanceledException>(() => PermutationImportance.Compute(model, data, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_what_is_wrong()
    {
        (InferenceModel<double> model, Dataset<double> data) = Linear();
        Assert.Contains("repeats must be ≥ 1, but was 0", Assert.Throws<ArgumentOutOfRangeException>(() => PermutationImportance.Compute(model, data, 0)).Message);
        Assert.Contains("featureGroups[1] is empty", Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(model, data, featureGroups: [[0], []])).Message);
        Assert.Contains("names input 3, but the model has inputs 0 to 2", Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(model, data, featureGroups: [[3]])).Message);
        Assert.Contains("lists input 1 twice", Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(model, data, featureGroups: [[1, 1]])).Message);
        Assert.Contains("1 group names were given for 3 groups", Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(model, data, groupNames: ["x"])).Message);
        Assert.Contains("RocAuc scores classification, but the dataset is a regression task",
                        Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(model, data, metric: ImportanceMetric.RocAuc)).Message);
        var oneClass = Dataset<double>.ForClassification(new double[6], [1, 1, 1], 2, 2);
        var binary = new Mlp<double>([2, 1], Activation.Identity, Activation.Sigmoid, 1).Freeze();
        Assert.Contains("RocAuc is undefined on this data", Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(binary, oneClass, metric: ImportanceMetric.RocAuc)).Message);
    }
}
