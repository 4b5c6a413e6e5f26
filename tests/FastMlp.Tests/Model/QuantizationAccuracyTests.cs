using Xunit;
using Xunit.Abstractions;

namespace FastMlp.Tests.Model;

public class QuantizationAccuracyTests(ITestOutputHelper output)
{
    /// <summary>The README's MNIST reference recipe, quantized: the test accuracy drops by at most 0.3 points.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mnist_reference_recipe_loses_at_most_0_3_points_when_quantized(int seed)
    {
        Dataset<float> all = IdxReader.LoadImagesAndLabels<float>(
            TestPaths.Dataset("mnist10k-images-idx3-ubyte.gz"), TestPaths.Dataset("mnist10k-labels-idx1-ubyte.gz"));
        Dataset<float> train = all.Slice(0, 8000), test = all.Slice(8000, 2000);
        var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed);
        using (var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.1, momentum: 0.9),
            BatchSize = 64,
            Epochs = 10,
            Seed = seed,
        }))
        {
            trainer.Fit(train, null);
        }
        InferenceModel<float> full = model.Freeze();
        InferenceModel<float> int8 = full.Quantize(WeightPrecision.Int8);
        double before = full.Evaluate(test).Accuracy, after = int8.Evaluate(test).Accuracy;
        output.WriteLine($"seed {seed}: float {before:P2}, int8 {after:P2} ({(after - before) * 100:+0.00;-0.00} points)");
        Assert.True(after >= before - 0.003, $"seed {seed}: float {before:P2}, int8 {after:P2}");
    }

    [Fact]
    public void Digits_accuracy_is_kept_within_one_point()
    {
        (float[] x, float[] y, int rows, int features) = ReadCsv("digits.csv");
        Dataset<float> all = Dataset<float>.ForClassification(x, y.Select(v => (int)v).ToArray(), features, 10);
        Dataset<float>[] parts = all.Split(1, stratify: true, 0.8, 0.2);
        var model = new Mlp<float>([features, 64, 10], Activation.ReLU, Activation.Softmax, 1);
        using (var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Adam(1e-3),
            BatchSize = 32,
            Epochs = 40,
            Seed = 1,
            Standardize = true,
        }))
        {
            trainer.Fit(parts[0], null);
        }
        double before = model.Freeze().Evaluate(parts[1]).Accuracy, after = model.Freeze().Quantize(WeightPrecision.Int8).Evaluate(parts[1]).Accuracy;
        output.WriteLine($"digits ({parts[1].Rows} held-out rows): float {before:P2}, int8 {after:P2} ({(after - before) * 100:+0.00;-0.00} points)");
        Assert.True(before > 0.95, $"float {before:P2}");
        Assert.True(after >= before - 0.01, $"float {before:P2}, int8 {after:P2}");
    }

    [Fact]
    public void Diabetes_rmse_grows_at_most_2_percent()
    {
        (float[] x, float[] y, int rows, int features) = ReadCsv("diabetes.csv");
        // Targets standardized for training; the RMSE ratio is the same in the target's units.
        float mean = y.Average(), std = MathF.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        float[] scaled = y.Select(v => (v - mean) / std).ToArray();
        Dataset<float>[] parts = Dataset<float>.ForRegression(x, scaled, features).Split(1, 0.8, 0.2);
        var model = new Mlp<float>([features, 32, 1], Activation.ReLU, Activation.Identity, 1);
        using (var trainer = new Trainer<float>(model, new TrainerOptions<float>
        {
            Loss = Loss.MeanSquaredError,
            Optimizer = Optimizer.Adam(1e-3),
            BatchSize = 32,
            Epochs = 60,
            Seed = 1,
            Standardize = true,
        }))
        {
            trainer.Fit(parts[0], null);
        }
        double before = model.Freeze().Evaluate(parts[1]).RootMeanSquaredError * std;
        double after = model.Freeze().Quantize(WeightPrecision.Int8).Evaluate(parts[1]).RootMeanSquaredError * std;
        output.WriteLine($"diabetes ({parts[1].Rows} held-out rows): RMSE float {before:F2}, int8 {after:F2} ({(after / before - 1) * 100:+0.00;-0.00} %)");
        Assert.True(after <= before * 1.02, $"RMSE float {before:F2}, int8 {after:F2}");
    }

    /// <summary>A numeric CSV with a header; the last column is the target.</summary>
    private static (float[] X, float[] Y, int Rows, int Features) ReadCsv(string name)
    {
        string[] lines = File.ReadAllLines(TestPaths.Dataset(name)).Skip(1).Where(l => l.Length > 0).ToArray();
        float[][] values = lines.Select(l => l.Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int features = values[0].Length - 1;
        return (values.SelectMany(r => r.Take(features)).ToArray(), values.Select(r => r[features]).ToArray(), values.Length, features);
    }
}
