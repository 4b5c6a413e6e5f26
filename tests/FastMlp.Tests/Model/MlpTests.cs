using Xunit;

namespace FastMlp.Tests.Model;

public class MlpTests
{
    [Theory]
    [InlineData(Activation.Tanh, 6.0 / (50 + 30))]   // Glorot uniform
    [InlineData(Activation.Sigmoid, 6.0 / (50 + 30))]
    [InlineData(Activation.ReLU, 6.0 / 50)]           // He uniform
    [InlineData(Activation.LeakyReLU, 6.0 / 50)]
    public void Default_initialization_draws_within_the_glorot_or_he_limit(Activation hidden, double limitSquared)
    {
        var model = new Mlp<double>([50, 30, 4], hidden, Activation.Identity, 3);
        double[] w = model.GetWeights(0).ToArray();
        double limit = Math.Sqrt(limitSquared);
        Assert.All(w, v => Assert.InRange(v, -limit, limit));
        Assert.True(w.Max() > 0.9 * limit && w.Min() < -0.9 * limit, "draws should fill the range");
        Assert.All(model.GetBiases(0).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Normal_initializers_have_the_expected_spread()
    {
        var model = new Mlp<double>([400, 300, 2], Activation.ReLU, Activation.Identity, 5, Initializer.HeNormal);
        double[] w = model.GetWeights(0).ToArray();
        double variance = w.Select(v => v * v).Average();
        Assert.Equal(2.0 / 400, variance, 2.0 / 400 * 0.05);
    }

    [Theory]
    [InlineData(Initializer.HeNormal, 2.0 / 500)]
    [InlineData(Initializer.GlorotNormal, 2.0 / (500 + 300))]
    public void Normal_initializers_draw_a_normal_distribution_of_the_right_variance(Initializer initializer, double variance)
    {
        // 150,000 draws: the variance within 2 %, and the shape normal — the shares within 1σ and 2σ (68.27 %,
        // 95.45 %) and the fourth moment (3σ⁴) — which a wrong Box–Muller angle breaks even at the right variance.
        double[] w = new Mlp<double>([500, 300, 2], Activation.ReLU, Activation.Identity, 11, initializer).GetWeights(0).ToArray();
        double sigma = Math.Sqrt(variance);
        Assert.Equal(0, w.Average(), 0.01 * sigma);
        Assert.Equal(variance, w.Select(v => v * v).Average(), variance * 0.02);
        Assert.Equal(0.6827, w.Count(v => Math.Abs(v) < sigma) / (double)w.Length, 0.01);
        Assert.Equal(0.9545, w.Count(v => Math.Abs(v) < 2 * sigma) / (double)w.Length, 0.005);
        Assert.Equal(3, w.Select(v => Math.Pow(v / sigma, 4)).Average(), 0.15);
    }

    [Fact]
    public void Parameters_start_on_a_64_byte_boundary()
    {
        // The kernels' aligned loads and the pre-packing assume it; many sizes give many array addresses.
        for (int n = 1; n < 40; n++)
        {
            AssertAligned(new Mlp<float>([n, 3], Activation.Identity, Activation.Identity, n));
            AssertAligned(new Mlp<double>([n, 3], Activation.Identity, Activation.Identity, n));
        }

        static unsafe void AssertAligned<T>(Mlp<T> model) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            fixed (T* p = model.Parameters)
            {
                Assert.Equal(0, (long)((nuint)p % 64));
            }
        }
    }

    [Fact]
    public void Initialization_is_seeded()
    {
        float[] Weights(int seed) => new Mlp<float>([5, 7, 3], Activation.Tanh, Activation.Softmax, seed).GetWeights(1).ToArray();
        Assert.Equal(Weights(1), Weights(1));
        Assert.NotEqual(Weights(1), Weights(2));
    }

    [Fact]
    public void Layout_and_accessors()
    {
        var model = new Mlp<float>([3, 4, 2], Activation.ReLU, Activation.Sigmoid, 1);
        Assert.Equal(2, model.LayerCount);
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, model.ParameterCount);
        Assert.Equal(Activation.ReLU, model.ActivationOf(0));
        Assert.Equal(Activation.Sigmoid, model.ActivationOf(1));
        float[] w = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        model.SetWeights(0, w);
        Assert.Equal(w, model.GetWeights(0).ToArray());
        Mlp<float> copy = model.Clone();
        model.SetWeights(0, new float[12]);
        Assert.Equal(w, copy.GetWeights(0).ToArray());
    }
}
