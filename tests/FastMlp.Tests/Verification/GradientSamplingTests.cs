using FastMlp.Verification;
using Xunit;

namespace FastMlp.Tests.Verification;

/// <summary>
/// The default check samples a bounded number of parameters per layer (so any architecture takes seconds), reports
/// how many per layer, and still catches the wrong gradients a backprop bug makes (a whole layer, a unit, the biases).
/// </summary>
public class GradientSamplingTests
{
    private static readonly int[] Sizes = [120, 90, 10];

    private static (Mlp<double> Model, double[] X, double[] Y, double[] Gradients) Setup()
    {
        var model = new Mlp<double>(Sizes, Activation.Tanh, Activation.Identity, seed: 4);
        var random = new Random(5);
        double[] x = [.. Enumerable.Range(0, 3 * 120).Select(_ => random.NextDouble() - 0.5)];
        double[] y = [.. Enumerable.Range(0, 3 * 10).Select(_ => random.NextDouble())];
        var gradients = new double[model.ParameterCount];
        using var trainer = new Trainer<double>(model.Clone(), new TrainerOptions<double> { BatchSize = 3, Optimizer = Optimizer.Sgd(1) });
        trainer.GradientsWithoutUpdate(x, y, 3, gradients);
        return (model, x, y, gradients);
    }

    private static GradientCheckResult Compare(Mlp<double> model, double[] x, double[] y, double[] gradients, GradientCheckOptions? options = null) =>
        GradientCheck.Compare(model, Loss.MeanSquaredError, x, y, 3, gradients, options ?? new GradientCheckOptions(), 1e-5);

    [Fact]
    public void By_default_64_weights_and_16_biases_per_layer_are_checked_and_counted()
    {
        (Mlp<double> model, double[] x, double[] y, _) = Setup();
        var reports = new List<GradientCheckProgress>();
        GradientCheckResult r = GradientCheck.Run(model, Loss.MeanSquaredError, x, y, 3, new GradientCheckOptions { Progress = new Collect(reports) });
        Assert.Equal(model.ParameterCount, r.ParametersInModel);
        Assert.Equal([120 * 90 + 90, 90 * 10 + 10], r.Layers.Select(l => l.ParametersInLayer));
        // Layer 0: 64 of 10 800 weights + 16 of 90 biases; layer 1: 64 of 900 weights + all 10 biases.
        Assert.Equal([64 + 16, 64 + 10], r.Layers.Select(l => l.ParametersChecked + l.ParametersSkipped));
        Assert.Equal(64 + 16 + 64 + 10, r.ParametersChecked + r.ParametersSkipped);
        Assert.True(r.MaxRelativeError <= 1e-6, r.ToString());
        // Progress counts from 0 to the total, layer by layer.
        Assert.Equal(Enumerable.Range(0, 155).ToArray(), reports.Select(p => p.Done).ToArray());
        Assert.All(reports, p => Assert.Equal(154, p.Total));
        Assert.Equal(0, reports[0].Layer);
        Assert.Equal(1, reports[^1].Layer);
    }

    [Fact]
    public void The_sample_depends_on_the_seed_and_CheckAll_checks_every_parameter()
    {
        (Mlp<double> model, double[] x, double[] y, double[] gradients) = Setup();
        // One wrong weight gradient: a sample may or may not draw it, the full check always does.
        gradients[5000] += 0.01;
        GradientCheckResult all = Compare(model, x, y, gradients, new GradientCheckOptions { CheckAll = true });
        Assert.Equal(model.ParameterCount, all.ParametersChecked + all.ParametersSkipped);
        Assert.Equal(new ParameterLocation(0, false, 5000 / 90, 5000 % 90), all.Worst);
        int found = Enumerable.Range(0, 40).Count(seed => Compare(model, x, y, gradients, new GradientCheckOptions { Seed = seed }).MaxRelativeError > 1e-3);
        // Each seed draws 64 of 10 800 weights: some seeds find it, most do not.
        Assert.InRange(found, 0, 10);
        Assert.NotEqual(Compare(model, x, y, gradients, new GradientCheckOptions { Seed = 1 }).Worst, Compare(model, x, y, gradients, new GradientCheckOptions { Seed = 2 }).Worst);
    }

    public static TheoryData<string> Bugs => ["layer 0 weights 2 % off", "every bias of layer 1 shifted", "every 8th unit of layer 0 wrong"];

    [Theory]
    [MemberData(nameof(Bugs))]
    public void The_default_sample_catches_the_wrong_gradients_a_backprop_bug_makes(string bug)
    {
        (Mlp<double> model, double[] x, double[] y, double[] gradients) = Setup();
        Assert.True(Compare(model, x, y, gradients).MaxRelativeError <= 1e-6);
        int layer = 0;
        switch (bug)
        {
            case "layer 0 weights 2 % off":
                for (int i = 0; i < 120 * 90; i++) gradients[i] *= 1.02;
                break;
            case "every bias of layer 1 shifted":
                layer = 1;
                for (int i = model.WeightOffset(1) + (90 * 10); i < model.ParameterCount; i++) gradients[i] += 1e-3;
                break;
            default:
                // A wrong derivative for one hidden unit in eight: the columns of W₀ feeding those units.
                for (int row = 0; row < 120; row++)
                {
                    for (int unit = 0; unit < 90; unit += 8) gradients[(row * 90) + unit] = -gradients[(row * 90) + unit] + 1e-3;
                }
                break;
        }
        for (int seed = 0; seed < 5; seed++)
        {
            GradientCheckResult r = Compare(model, x, y, gradients, new GradientCheckOptions { Seed = seed });
            Assert.True(r.MaxRelativeError > 1e-3, $"{bug}, seed {seed}: not caught ({r})");
            Assert.Equal(layer, r.Worst.Layer);
        }
    }

    private sealed class Collect(List<GradientCheckProgress> into) : IProgress<GradientCheckProgress>
    {
        public void Report(GradientCheckProgress value) => into.Add(value);
    }
}
