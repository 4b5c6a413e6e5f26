using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>The target standardization's own arithmetic: mean and population deviation per column, the fold and its inverse.</summary>
public class TargetScalingArithmeticTests
{
    [Fact]
    public void Mean_and_population_deviation_per_column_and_1_for_a_constant_or_overflowing_column()
    {
        // Columns: 1, 2, 3, 6 (mean 3, deviation √3.5); constant 4; 10 ± 1e300-scale values whose deviation overflows.
        Dataset<double> data = Dataset<double>.ForRegression([0, 0, 0, 0], [1, 4, 1e308, 2, 4, -1e308, 3, 4, 1e308, 6, 4, -1e308], 1, 3);
        TargetScaling scaling = TargetScaling.Fit(data);

        Assert.Equal([3.0, 4.0, 0.0], scaling.Mean);
        Assert.Equal(Math.Sqrt(3.5), scaling.Scale[0], 15);
        Assert.Equal(1.0, scaling.Scale[1]);
        Assert.Equal(1.0, scaling.Scale[2]);

        Dataset<double> standardized = scaling.Apply(data);
        Assert.Equal((1 - 3) / Math.Sqrt(3.5), standardized.Targets.Span[0], 15);
        Assert.Equal(0.0, standardized.Targets.Span[1]);
        Assert.Equal((6 - 3) / Math.Sqrt(3.5), standardized.Targets.Span[9], 15);
        Assert.Equal(-1e308, standardized.Targets.Span[11]);
    }

    [Fact]
    public void Folding_scales_each_output_column_and_shifts_its_bias_and_unfolding_undoes_it()
    {
        Dataset<double> data = Dataset<double>.ForRegression([0, 0, 0], [10, -1, 20, -3, 30, -5], 1, 2);
        TargetScaling scaling = TargetScaling.Fit(data);
        double s0 = Math.Sqrt(200.0 / 3), s1 = Math.Sqrt(8.0 / 3);
        Assert.Equal([20.0, -3.0], scaling.Mean);

        var model = new Mlp<double>([2, 3, 2], Activation.Tanh, Activation.Identity, seed: 4);
        // Biases start at 0, where b·σ = b/σ: give every parameter its own non-zero value.
        for (int i = 0; i < model.ParameterCount; i++)
        {
            model.Parameters[i] = 0.25 + (0.5 * i);
        }
        double[] before = model.Parameters.ToArray();
        int offset = model.WeightOffset(1);
        scaling.FoldInto(model);
        double[] folded = model.Parameters.ToArray();

        // The hidden layer is untouched; the output weights (3×2, column k = output k) scale by σₖ; b = σₖ·b + μₖ.
        Assert.Equal(before[..offset], folded[..offset]);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(before[offset + i] * (i % 2 == 0 ? s0 : s1), folded[offset + i], 12);
        }
        Assert.Equal(before[offset + 6] * s0 + 20, folded[offset + 6], 12);
        Assert.Equal(before[offset + 7] * s1 - 3, folded[offset + 7], 12);

        scaling.UnfoldFrom(model);
        double[] unfolded = model.Parameters.ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], unfolded[i], 12);
        }
    }
}
