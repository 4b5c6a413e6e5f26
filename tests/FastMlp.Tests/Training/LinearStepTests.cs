using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>The fused single-layer MSE step (linear regression) does exactly the general algorithm's update.</summary>
public class LinearStepTests
{
    [Theory]
    [InlineData(1, 1, 10)]
    [InlineData(3, 2, 7)]
    [InlineData(8, 8, 1)]
    public void One_SGD_step_matches_the_hand_computed_update(int inputs, int outputs, int batch)
    {
        var model = new Mlp<double>([inputs, outputs], Activation.Identity, Activation.Identity, seed: 4);
        double[] w0 = model.GetWeights(0).ToArray(), b0 = model.GetBiases(0).ToArray();
        var random = new Random(9);
        double[] x = Enumerable.Range(0, batch * inputs).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] y = Enumerable.Range(0, batch * outputs).Select(_ => random.NextDouble()).ToArray();
        const double lr = 0.1;
        using var trainer = new Trainer<double>(model, new TrainerOptions<double>
        {
            Loss = Loss.MeanSquaredError,
            Optimizer = Optimizer.Sgd(lr),
            BatchSize = batch,
        });
        double loss = trainer.Step(x, y, batch);

        double expectedLoss = 0;
        double[] dw = new double[inputs * outputs], db = new double[outputs];
        for (int r = 0; r < batch; r++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double z = b0[j];
                for (int p = 0; p < inputs; p++) z += x[(r * inputs) + p] * w0[(p * outputs) + j];
                double d = z - y[(r * outputs) + j];
                expectedLoss += d * d / (batch * outputs);
                db[j] += 2 * d / (batch * outputs);
                for (int p = 0; p < inputs; p++) dw[(p * outputs) + j] += 2 * d * x[(r * inputs) + p] / (batch * outputs);
            }
        }
        Assert.Equal(expectedLoss, loss, 12);
        double[] w1 = model.GetWeights(0).ToArray(), b1 = model.GetBiases(0).ToArray();
        for (int i = 0; i < w1.Length; i++) Assert.Equal(w0[i] - (lr * dw[i]), w1[i], 12);
        for (int j = 0; j < outputs; j++) Assert.Equal(b0[j] - (lr * db[j]), b1[j], 12);
    }
}
