using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// Every loss value and output gradient dZ against a plain double loop written from the definitions in
/// <see cref="Loss"/>'s documentation, in float and double, on narrow rows (scalar paths) and wide rows and batches
/// (the vectorized paths), with soft targets (Σy ≠ 1) so that no term can hide behind a one-hot row; and the weighted
/// mean of <c>ComputeWeighted</c> against Σ wᵢ·lᵢ / Σ wᵢ.
/// </summary>
public class LossReferenceTests
{
    private static double[] Values(int count, int seed, double low, double high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => low + (random.NextDouble() * (high - low)))];
    }

    /// <summary>Logits, the output activation's values, soft targets, and the reference loss and dZ.</summary>
    private static (double[] Z, double[] A, double[] Y, double Loss, double[] Dz) Reference(Loss loss, Activation output, int batch, int width)
    {
        int n = batch * width;
        double[] z = Values(n, 1, -3, 3), a = new double[n], y = Values(n, 2, 0, 1), dz = new double[n];
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            int o = r * width;
            double max = z.Skip(o).Take(width).Max();
            double logSumExp = max + Math.Log(z.Skip(o).Take(width).Sum(v => Math.Exp(v - max)));
            for (int j = o; j < o + width; j++)
            {
                a[j] = output switch
                {
                    Activation.Softmax => Math.Exp(z[j] - logSumExp),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-z[j])),
                    Activation.Tanh => Math.Tanh(z[j]),
                    _ => z[j],
                };
            }
            for (int j = o; j < o + width; j++)
            {
                double derivative = output == Activation.Tanh ? 1 - (a[j] * a[j]) : 1;
                switch (loss)
                {
                    case Loss.MeanSquaredError:
                        total += (a[j] - y[j]) * (a[j] - y[j]) / n;
                        dz[j] = 2 * (a[j] - y[j]) / n * derivative;
                        break;
                    case Loss.MeanAbsoluteError:
                        total += Math.Abs(a[j] - y[j]) / n;
                        dz[j] = Math.Sign(a[j] - y[j]) / (double)n * derivative;
                        break;
                    case Loss.SoftmaxCrossEntropy:
                        // −Σ y·log p, log p = z − log Σ e^z; dZ = (p·Σy − y)/N.
                        total += -y[j] * (z[j] - logSumExp) / batch;
                        dz[j] = ((a[j] * y.Skip(o).Take(width).Sum()) - y[j]) / batch;
                        break;
                    default:
                        total += -((y[j] * Math.Log(a[j])) + ((1 - y[j]) * Math.Log(1 - a[j]))) / n;
                        dz[j] = (a[j] - y[j]) / n;
                        break;
                }
            }
        }
        return (z, a, y, total, dz);
    }

    private static void Check<T>(Loss loss, Activation output, int batch, int width, double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (double[] z, double[] a, double[] y, double expected, double[] expectedDz) = Reference(loss, output, batch, width);
        T[] zt = [.. z.Select(T.CreateTruncating)], at = [.. a.Select(T.CreateTruncating)], yt = [.. y.Select(T.CreateTruncating)];
        var dz = new T[z.Length];
        double withGradient = LossFunctions<T>.Compute(loss, output, zt, at, yt, batch, width, dz);
        double withoutGradient = LossFunctions<T>.Compute(loss, output, zt, at, yt, batch, width, default);

        string what = $"{typeof(T).Name} {loss} {output} {batch}×{width}";
        Assert.True(Math.Abs(withGradient - expected) <= tolerance * Math.Abs(expected), $"{what}: loss {withGradient}, expected {expected}");
        Assert.True(Math.Abs(withoutGradient - expected) <= tolerance * Math.Abs(expected), $"{what}: loss without gradient {withoutGradient}, expected {expected}");
        double scale = expectedDz.Max(Math.Abs);
        for (int i = 0; i < dz.Length; i++)
        {
            Assert.True(Math.Abs(double.CreateTruncating(dz[i]) - expectedDz[i]) <= tolerance * scale, $"{what}: dz[{i}] = {dz[i]}, expected {expectedDz[i]}");
        }
    }

    public static TheoryData<Loss, Activation, int, int> Cases()
    {
        var cases = new TheoryData<Loss, Activation, int, int>();
        // 3×3: narrow rows and MSE's scalar path (< 64 values); 5×20: wide rows (≥ 2 vectors) and MSE's library path.
        foreach ((int batch, int width) in new[] { (3, 3), (5, 20) })
        {
            cases.Add(Loss.MeanSquaredError, Activation.Identity, batch, width);
            cases.Add(Loss.MeanSquaredError, Activation.Tanh, batch, width);
            cases.Add(Loss.MeanAbsoluteError, Activation.Identity, batch, width);
            cases.Add(Loss.MeanAbsoluteError, Activation.Tanh, batch, width);
            cases.Add(Loss.SoftmaxCrossEntropy, Activation.Softmax, batch, width);
            cases.Add(Loss.BinaryCrossEntropy, Activation.Sigmoid, batch, width);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_loss_and_gradient_equal_the_definition(Loss loss, Activation output, int batch, int width) =>
        Check<double>(loss, output, batch, width, 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_loss_and_gradient_equal_the_definition(Loss loss, Activation output, int batch, int width) =>
        Check<float>(loss, output, batch, width, 2e-5);

    [Theory]
    [InlineData(Loss.MeanSquaredError, Activation.Identity, 3)]
    [InlineData(Loss.SoftmaxCrossEntropy, Activation.Softmax, 20)]
    [InlineData(Loss.BinaryCrossEntropy, Activation.Sigmoid, 2)]
    public void The_weighted_loss_is_the_weighted_mean_of_row_losses_and_scales_each_row_gradient(Loss loss, Activation output, int width)
    {
        const int batch = 4;
        (double[] z, double[] a, double[] y, _, _) = Reference(loss, output, batch, width);
        double[] weights = [1, 0, 3, 0.5];
        double weightSum = weights.Sum();
        var dz = new double[batch * width];
        double weighted = LossFunctions<double>.ComputeWeighted(loss, output, z, a, y, weights, weightSum, batch, width, dz);
        double weightedWithoutGradient = LossFunctions<double>.ComputeWeighted(loss, output, z, a, y, weights, weightSum, batch, width, default);

        double expected = 0;
        for (int r = 0; r < batch; r++)
        {
            var rowDz = new double[width];
            Range row = (r * width)..((r + 1) * width);
            double rowLoss = LossFunctions<double>.Compute(loss, output, z[row], a[row], y[row], 1, width, rowDz);
            expected += weights[r] * rowLoss / weightSum;
            for (int j = 0; j < width; j++)
            {
                Assert.Equal(rowDz[j] * weights[r] / weightSum, dz[(r * width) + j], 14);
            }
        }
        Assert.Equal(expected, weighted, 12);
        Assert.Equal(expected, weightedWithoutGradient, 12);
        Assert.NotEqual(LossFunctions<double>.Compute(loss, output, z, a, y, batch, width, default), weighted, 6);
    }

    [Fact]
    public void Softmax_cross_entropy_stays_finite_when_all_but_the_largest_probability_underflow()
    {
        // p = softmax(0, 800, −5) = (0, 1, 0) in double: log Σ e^z must come from the largest logit, whose p is 1.
        double[] z = [0, 800, -5], p = [0, 1, 0], y = [0, 1, 0];
        var dz = new double[3];
        Assert.Equal(0, LossFunctions<double>.Compute(Loss.SoftmaxCrossEntropy, Activation.Softmax, z, p, y, 1, 3, dz));
        Assert.Equal([0.0, 0, 0], dz);
        // The largest logit last and first.
        Assert.Equal(0, LossFunctions<double>.Compute(Loss.SoftmaxCrossEntropy, Activation.Softmax, [-5.0, 0, 800], [0.0, 0, 1], [0.0, 0, 1], 1, 3, dz));
        Assert.Equal(0, LossFunctions<double>.Compute(Loss.SoftmaxCrossEntropy, Activation.Softmax, [800.0, 0, -5], [1.0, 0, 0], [1.0, 0, 0], 1, 3, dz));
    }

    [Fact]
    public void Absolute_error_has_a_zero_gradient_where_the_output_equals_the_target()
    {
        double[] a = [1, 2, 3, 4], y = [1, 1, 3, 5];
        var dz = new double[4];
        Assert.Equal(0.5, LossFunctions<double>.Compute(Loss.MeanAbsoluteError, Activation.Identity, a, a, y, 1, 4, dz));
        Assert.Equal([0, 0.25, 0, -0.25], dz);
    }

    [Fact]
    public void Fused_losses_need_their_output_activation_and_unknown_losses_are_refused()
    {
        LossFunctions<float>.CheckPairing(Loss.MeanSquaredError, Activation.Identity, "options");
        LossFunctions<float>.CheckPairing(Loss.MeanAbsoluteError, Activation.Tanh, "options");
        LossFunctions<float>.CheckPairing(Loss.SoftmaxCrossEntropy, Activation.Softmax, "options");
        LossFunctions<float>.CheckPairing(Loss.BinaryCrossEntropy, Activation.Sigmoid, "options");
        var e = Assert.Throws<ArgumentException>(() => LossFunctions<float>.CheckPairing(Loss.SoftmaxCrossEntropy, Activation.Sigmoid, "options"));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("Loss SoftmaxCrossEntropy needs a Softmax output layer, but the model's output activation is Sigmoid.", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions<float>.CheckPairing(Loss.BinaryCrossEntropy, Activation.Softmax, "options"));
        Assert.Contains("Loss BinaryCrossEntropy needs a Sigmoid output layer, but the model's output activation is Softmax.", e.Message);
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions<float>.CheckPairing((Loss)9, Activation.Identity, "options"));
        Assert.Equal("options", unknown.ParamName);
        Assert.StartsWith("9 is not a Loss value; valid: MeanSquaredError (0), ", unknown.Message);
    }

    [Fact]
    public void A_batch_whose_weights_are_all_zero_has_loss_0_and_a_zero_gradient()
    {
        (double[] z, double[] a, double[] y, _, _) = Reference(Loss.MeanSquaredError, Activation.Identity, 2, 3);
        double[] dz = [9, 9, 9, 9, 9, 9, 9];
        double value = LossFunctions<double>.ComputeWeighted(Loss.MeanSquaredError, Activation.Identity, z, a, y, [0, 0], 0, 2, 3, dz);
        Assert.Equal(0, value);
        // Only the batch's rows are cleared: the rest of the buffer is not the loss's.
        Assert.Equal([0, 0, 0, 0, 0, 0, 9.0], dz);
    }
}
