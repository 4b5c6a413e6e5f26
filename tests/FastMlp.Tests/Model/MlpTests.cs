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
