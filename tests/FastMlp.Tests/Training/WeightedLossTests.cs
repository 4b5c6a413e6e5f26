using FastMlp.Verification;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>Sample and class weights: Σ wᵢ·lᵢ / Σ wᵢ, gradient-checked, and what they do on imbalanced classes.</summary>
public class WeightedLossTests
{
    [Fact]
    public void The_weighted_loss_is_the_weighted_mean_of_the_row_losses_and_its_gradient_scales_each_row()
    {
        // Two rows, one output, identity: row losses (ŷ − y)² = 1 and 4; weights 1 and 3 → (1 + 12)/4.
        float[] output = [1, 2], target = [0, 0], weights = [1, 3];
        var dz = new float[2];
        double loss = LossFunctions<float>.ComputeWeighted(Loss.MeanSquaredError, Activation.Identity, output, output, target, weights, 4, 2, 1, dz);
        Assert.Equal(13.0 / 4, loss, 1e-12);
        // d/dŷᵢ = wᵢ/Σw · 2(ŷᵢ − yᵢ)
        Assert.Equal(1f / 4 * 2 * 1, dz[0]);
        Assert.Equal(3f / 4 * 2 * 2, dz[1]);
        // Every weight 0: loss and gradient 0, not NaN.
        Assert.Equal(0, LossFunctions<float>.ComputeWeighted(Loss.MeanSquaredError, Activation.Identity, output, output, target, [0, 0], 0, 2, 1, dz));
        Assert.Equal([0f, 0f], dz);
    }

    [Property(MaxTest = 30)]
    public Property Weighted_backprop_matches_finite_differences() =>
        Prop.ForAll(Verification.GradientCheckTests.Cases.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (c, weightSeed) =>
        {
            var random = new Random(weightSeed);
            // Some zero weights, some large: the gradient must follow the weights row by row.
            double[] weights = [.. Enumerable.Range(0, c.Batch).Select(_ => random.Next(4) == 0 ? 0 : random.NextDouble() * 5)];
            if (weights.All(w => w == 0)) weights[0] = 1;
            var model = new Mlp<double>(c.Sizes, c.Hidden, c.Output, c.Seed);
            (double[] x, double[] y) = Verification.GradientCheckTests.Batch<double>(c);
            GradientCheckResult r = GradientCheck.Run(model, c.Loss, x, y, c.Batch, new GradientCheckOptions { MaxParameters = 120, Seed = c.Seed, RowWeights = weights });
            return (r.MaxRelativeError <= 1e-6 && 4 * r.ParametersChecked >= r.ParametersChecked + r.ParametersSkipped).Label($"{c} weights [{string.Join(", ", weights.Select(w => w.ToString("G3")))}]: {r}");
        });

    [Fact]
    public void The_gradient_check_sees_a_weighting_bug()
    {
        // The analytic side ignores the weights (plain mean), the reference applies them: the check must fail.
        var model = new Mlp<double>([3, 4, 2], Activation.Tanh, Activation.Identity, 7);
        var c = new Verification.GradientCheckTests.Case([3, 4, 2], Activation.Tanh, Loss.MeanSquaredError, Activation.Identity, 5, 7);
        (double[] x, double[] y) = Verification.GradientCheckTests.Batch<double>(c);
        GradientCheckResult weighted = GradientCheck.Run(model, Loss.MeanSquaredError, x, y, 5, new GradientCheckOptions { CheckAll = true, RowWeights = [1, 0, 2, 5, 0.5] });
        Assert.True(weighted.MaxRelativeError < 1e-7, weighted.ToString());
        GradientCheckResult plain = GradientCheck.Compare(model.Clone(), Loss.MeanSquaredError, x, y, 5, PlainGradients(model, x, y), new GradientCheckOptions { CheckAll = true, RowWeights = [1, 0, 2, 5, 0.5] }, 1e-5);
        Assert.True(plain.MaxRelativeError > 1e-2, plain.ToString());
    }

    private static double[] PlainGradients(Mlp<double> model, double[] x, double[] y)
    {
        using var trainer = new Trainer<double>(model.Clone(), new TrainerOptions<double> { Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd(1), BatchSize = 5 });
        var gradients = new double[model.ParameterCount];
        trainer.GradientsWithoutUpdate(x, y, 5, gradients);
        return gradients;
    }

    [Fact]
    public void A_sample_weight_of_two_trains_like_the_row_seen_twice()
    {
        var random = new Random(2);
        int rows = 30;
        double[] x = [.. Enumerable.Range(0, rows * 3).Select(_ => random.NextDouble() * 2 - 1)];
        double[] y = [.. Enumerable.Range(0, rows).Select(r => x[3 * r] - 2 * x[3 * r + 1] + 0.5 * x[3 * r + 2] + random.NextDouble() * 0.1)];
        double[] weights = [.. Enumerable.Range(0, rows).Select(r => r % 4 == 0 ? 2.0 : 1.0)];
        int[] duplicated = [.. Enumerable.Range(0, rows).SelectMany(r => r % 4 == 0 ? new[] { r, r } : [r])];
        Dataset<double> data = Dataset<double>.ForRegression(x, y, 3);
        var options = new TrainerOptions<double> { Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd(0.1), BatchSize = 1000, Epochs = 25, Shuffle = false };
        Mlp<double> weighted = new([3, 5, 1], Activation.Tanh, Activation.Identity, seed: 4), twice = weighted.Clone();
        using (var t = new Trainer<double>(weighted, options)) t.Fit(data.WithSampleWeights(weights), null);
        using (var t = new Trainer<double>(twice, options)) t.Fit(data.Subset(duplicated), null);
        double[] a = weighted.Parameters.ToArray(), b = twice.Parameters.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(b[i], a[i], 1e-12);
        }
    }

    [Fact]
    public void A_row_of_weight_zero_counts_nowhere_not_in_the_standardizer_nor_in_the_target_scaling()
    {
        var random = new Random(5);
        int rows = 40;
        double[] x = [.. Enumerable.Range(0, rows * 2).Select(_ => random.NextDouble() * 4 + 10)];
        double[] y = [.. Enumerable.Range(0, rows).Select(r => 100 + 30 * x[2 * r] - 20 * x[2 * r + 1])];
        // Every third row weighs 0 and is wild: far-off features, absurd targets.
        double[] weights = [.. Enumerable.Range(0, rows).Select(r => r % 3 == 0 ? 0 : 1 + r % 2)];
        for (int r = 0; r < rows; r += 3)
        {
            x[2 * r] = 1e4;
            y[r] = -1e6;
        }
        int[] kept = [.. Enumerable.Range(0, rows).Where(r => r % 3 != 0)];
        Dataset<double> all = Dataset<double>.ForRegression(x, y, 2).WithSampleWeights(weights);
        Dataset<double> without = all.Subset(kept);

        // The fitted statistics are the weighted ones of the kept rows: their means and population deviations.
        Standardizer<double> s = Standardizer<double>.Fit(all);
        double w = kept.Sum(r => weights[r]), mean0 = kept.Sum(r => weights[r] * x[2 * r]) / w;
        Assert.Equal(mean0, s.Mean[0], 1e-12);
        Assert.Equal(Standardizer<double>.Fit(without).Mean[1], s.Mean[1], 1e-12);
        Assert.Equal(1 / Math.Sqrt(kept.Sum(r => weights[r] * (x[2 * r] - mean0) * (x[2 * r] - mean0)) / w), s.InverseScale[0], 1e-9);
        TargetScaling scaling = TargetScaling.Fit(all);
        double meanY = kept.Sum(r => weights[r] * y[r]) / w;
        Assert.Equal(meanY, scaling.Mean[0], 1e-9);
        Assert.Equal(Math.Sqrt(kept.Sum(r => weights[r] * (y[r] - meanY) * (y[r] - meanY)) / w), scaling.Scale[0], 1e-9);

        // Trained with both standardizations: the same model as without those rows.
        var options = new TrainerOptions<double>
        {
            Loss = Loss.MeanSquaredError,
            Optimizer = Optimizer.Sgd(0.05),
            BatchSize = 1000,
            Epochs = 20,
            Shuffle = false,
            Standardize = true,
            StandardizeTargets = true,
        };
        Mlp<double> a = new([2, 4, 1], Activation.Tanh, Activation.Identity, seed: 3), b = a.Clone();
        using (var t = new Trainer<double>(a, options)) t.Fit(all, null);
        using (var t = new Trainer<double>(b, options)) t.Fit(without, null);
        double[] pa = a.Parameters.ToArray(), pb = b.Parameters.ToArray();
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.Equal(pb[i], pa[i], 1e-9);
        }

        // Weights of 1 give exactly the unweighted statistics; a subset of only weight-0 rows falls back to them.
        Dataset<double> plain = Dataset<double>.ForRegression(x, y, 2);
        Assert.Equal(Standardizer<double>.Fit(plain).Mean.ToArray(), Standardizer<double>.Fit(plain.WithSampleWeights([.. Enumerable.Repeat(1.0, rows)])).Mean.ToArray());
        Assert.Equal(TargetScaling.Fit(plain).Scale, TargetScaling.Fit(plain.WithSampleWeights([.. Enumerable.Repeat(1.0, rows)])).Scale);
        Dataset<double> zeros = all.Subset([0, 3, 6]);
        Assert.Equal(Standardizer<double>.Fit(plain.Subset([0, 3, 6])).Mean.ToArray(), Standardizer<double>.Fit(zeros).Mean.ToArray());
        Assert.Equal(TargetScaling.Fit(plain.Subset([0, 3, 6])).Mean, TargetScaling.Fit(zeros).Mean);
    }

    private static (Dataset<float> Train, Dataset<float> Test) Imbalanced()
    {
        // 10 % positives, overlapping: an unweighted model does best by (almost) never saying "yes".
        var random = new Random(8);
        int rows = 1000;
        var x = new float[rows * 2];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = r % 10 == 0 ? 1 : 0;
            x[2 * r] = (float)(random.NextDouble() * 2 + (labels[r] == 1 ? 0.6 : 0));
            x[2 * r + 1] = (float)(random.NextDouble() * 2 + (labels[r] == 1 ? 0.6 : 0));
        }
        Dataset<float>[] parts = Dataset<float>.ForClassification(x, labels, 2, 2, ["no", "yes"]).Split(1, stratify: true, 0.7, 0.3);
        return (parts[0], parts[1]);
    }

    private static double MinorityRecall(ClassWeights? weights)
    {
        (Dataset<float> train, Dataset<float> test) = Imbalanced();
        var model = new Mlp<float>([2, 8, 2], Activation.Tanh, Activation.Softmax, seed: 1);
        using var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(0.01),
            BatchSize = 32,
            Epochs = 30,
            Seed = 1,
            ClassWeights = weights,
        });
        trainer.Fit(train, null);
        int[,] confusion = trainer.Evaluate(test).ConfusionMatrix!;
        return (double)confusion[1, 1] / (confusion[1, 0] + confusion[1, 1]);
    }

    [Fact]
    public void Balanced_class_weights_make_the_minority_class_found()
    {
        double plain = MinorityRecall(null), balanced = MinorityRecall(ClassWeights.Balanced());
        Assert.True(balanced > plain + 0.3, $"minority recall: plain {plain:F2}, balanced {balanced:F2}");
        // Weights by name or by label give the same fit as the balanced ones they spell out (train: 630 "no", 70 "yes").
        Assert.Equal(balanced, MinorityRecall(ClassWeights.ByName(new Dictionary<string, double> { ["no"] = 700.0 / (2 * 630), ["yes"] = 700.0 / (2 * 70) })));
    }

    [Fact]
    public void Balanced_is_n_over_k_times_the_class_count_and_class_weights_equal_sample_weights_per_class()
    {
        Dataset<float> data = Dataset<float>.ForClassification([0, 1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 1], 2, 3, ["a", "b", "c"]);
        // Class "c" has no rows: k counts the 2 classes present (as scikit-learn, whose classes come from y).
        Assert.Equal([4.0 / (2 * 3), 4.0 / (2 * 1), 1], ClassWeights.Balanced().Resolve(data));
        Assert.Equal([2.0, 1, 0.5], ClassWeights.ByName(new Dictionary<string, double> { ["a"] = 2, ["c"] = 0.5 }).Resolve(data));

        (Dataset<float> train, _) = Imbalanced();
        float[] perRow = [.. train.Labels.ToArray().Select(l => l == 1 ? 3f : 1f)];
        TrainerOptions<float> Options(ClassWeights? w) => new() { Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Adam(0.01), BatchSize = 32, Epochs = 3, ClassWeights = w };
        Mlp<float> byClass = new([2, 8, 2], Activation.Tanh, Activation.Softmax, seed: 1), bySample = byClass.Clone();
        using (var t = new Trainer<float>(byClass, Options(ClassWeights.Of(1, 3)))) t.Fit(train, null);
        using (var t = new Trainer<float>(bySample, Options(null))) t.Fit(train.WithSampleWeights(perRow), null);
        Assert.Equal(bySample.Parameters.ToArray(), byClass.Parameters.ToArray());
    }

    [Fact]
    public void Bad_weights_are_refused_naming_what_is_wrong()
    {
        Dataset<float> data = Dataset<float>.ForClassification([0, 1, 2, 3, 4, 5], [0, 1, 1], 2, 2, ["no", "yes"]);
        Assert.Contains("3 rows need 3 sample weights, but 2", Assert.Throws<ArgumentException>(() => data.WithSampleWeights([1, 2])).Message);
        Assert.Contains("row 1 is -1", Assert.Throws<ArgumentException>(() => data.WithSampleWeights([1, -1, 2])).Message);
        Assert.Contains("row 2 is NaN", Assert.Throws<ArgumentException>(() => data.WithSampleWeights([1, 1, float.NaN])).Message);
        Assert.Contains("Every sample weight is 0", Assert.Throws<ArgumentException>(() => data.WithSampleWeights([0, 0, 0])).Message);
        Assert.Contains("class 1 is -2", Assert.Throws<ArgumentException>(() => ClassWeights.Of(1, -2)).Message);

        var e = Assert.Throws<ArgumentException>(() => ClassWeights.ByName(new Dictionary<string, double> { ["maybe"] = 2, ["yes"] = 3 }).Resolve(data));
        Assert.Equal("options.ClassWeights", e.ParamName);
        Assert.Contains("a class the data does not have: maybe; the classes are: no, yes", e.Message);
        Assert.Contains("3 class weights were given, but the training data has 2 classes (no, yes)", Assert.Throws<ArgumentException>(() => ClassWeights.Of(1, 2, 3).Resolve(data)).Message);
        Dataset<float> regression = Dataset<float>.ForRegression([0, 1], [1, 2], 1);
        Assert.Contains("need class labels", Assert.Throws<ArgumentException>(() => ClassWeights.Balanced().Resolve(regression)).Message);

        // Every row weighing 0 once sample and class weights are multiplied: refused when the fit starts.
        using var trainer = new Trainer<float>(new Mlp<float>([2, 2], Activation.Identity, Activation.Softmax, 1),
            new TrainerOptions<float> { Loss = Loss.SoftmaxCrossEntropy, ClassWeights = ClassWeights.Of(1, 0) });
        var fit = Assert.Throws<ArgumentException>(() => trainer.Fit(data.WithSampleWeights([0, 1, 1]), null));
        Assert.Contains("Every training row weighs 0", fit.Message);
    }

    [Fact]
    public void Subsets_keep_each_rows_weight_and_weights_change_the_checksum()
    {
        Dataset<float> data = Dataset<float>.ForRegression([0, 1, 2, 3], [1, 2, 3, 4], 1);
        Dataset<float> weighted = data.WithSampleWeights([1, 2, 3, 4]);
        Assert.Equal([4f, 2f], weighted.Subset([3, 1]).SampleWeights.ToArray());
        Assert.Equal([2f, 3f], weighted.Slice(1, 2).SampleWeights.ToArray());
        Assert.False(data.Subset([0, 1]).HasSampleWeights);
        Assert.NotEqual(data.Checksum, weighted.Checksum);
        Assert.NotEqual(weighted.Checksum, data.WithSampleWeights([1, 2, 3, 5]).Checksum);
        Assert.Equal(data.Checksum, Dataset<float>.ForRegression([0, 1, 2, 3], [1, 2, 3, 4], 1).Checksum);
    }
}
