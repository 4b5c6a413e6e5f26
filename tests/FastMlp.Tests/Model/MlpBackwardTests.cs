using Xunit;

namespace FastMlp.Tests.Model;

/// <summary>
/// <see cref="Mlp{T}.Backward"/> against central finite differences of L = Σ R ⊙ Z_out (so dZ_out = R), in
/// double, for every hidden activation, on sizes that take the tiny scalar path and the GEMM path.
/// </summary>
public sealed class MlpBackwardTests
{
    public static TheoryData<Activation, int[], int> Cases()
    {
        var data = new TheoryData<Activation, int[], int>();
        foreach (Activation hidden in new[] { Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU })
        {
            data.Add(hidden, [3, 4, 2], 2);          // every product ≤ 2048: the scalar loops
            data.Add(hidden, [20, 40, 30, 6], 8);    // 8·40·20 > 2048: GEMM
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_match_finite_differences(Activation hidden, int[] sizes, int batch)
    {
        var model = new Mlp<double>(sizes, hidden, Activation.Identity, seed: 11);
        var random = new Random(3);
        for (int l = 0; l < model.LayerCount; l++)
        {
            model.SetBiases(l, Enumerable.Range(0, sizes[l + 1]).Select(_ => random.NextDouble() - 0.5).ToArray());
        }
        double[] x = Enumerable.Range(0, batch * sizes[0]).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        int outputs = sizes[^1];
        double[] r = Enumerable.Range(0, batch * outputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        var activations = new double[batch * model.ActivationWidth];
        model.Forward(x, batch, activations, default);
        var deltas = new double[activations.Length];
        r.CopyTo(deltas.AsSpan(batch * model.ActivationOffset(model.LayerCount - 1)));
        var gradients = new double[model.ParameterCount];
        model.Backward(x, batch, activations, deltas, gradients);

        const double h = 1e-6;
        Span<double> parameters = model.Parameters;
        for (int j = 0; j < parameters.Length; j++)
        {
            double saved = parameters[j];
            parameters[j] = saved + h;
            double plus = Loss(model, x, batch, r);
            parameters[j] = saved - h;
            double minus = Loss(model, x, batch, r);
            parameters[j] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradients[j]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                        $"parameter {j}: backward {gradients[j]}, finite difference {numeric}");
        }
    }

    [Fact]
    public void Forward_writes_the_output_logits_when_asked()
    {
        var model = new Mlp<double>([2, 3, 2], Activation.Tanh, Activation.Softmax, seed: 4);
        double[] x = [0.5, -1, 2, 0.25];
        var activations = new double[2 * model.ActivationWidth];
        var logits = new double[4];
        model.Forward(x, 2, activations, logits);
        double[] probabilities = activations.AsSpan(2 * model.ActivationOffset(1), 4).ToArray();
        for (int row = 0; row < 2; row++)
        {
            double z0 = logits[2 * row], z1 = logits[2 * row + 1];
            Assert.NotEqual(z0, probabilities[2 * row]);
            Assert.Equal(Math.Exp(z0) / (Math.Exp(z0) + Math.Exp(z1)), probabilities[2 * row], 1e-14);
        }
    }

    private static double Loss(Mlp<double> model, double[] x, int batch, double[] r)
    {
        var activations = new double[batch * model.ActivationWidth];
        model.Forward(x, batch, activations, default);
        ReadOnlySpan<double> z = activations.AsSpan(batch * model.ActivationOffset(model.LayerCount - 1), r.Length);
        double sum = 0;
        for (int i = 0; i < r.Length; i++)
        {
            sum += r[i] * z[i];
        }
        return sum;
    }
}
