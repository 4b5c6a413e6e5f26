using Xunit;


namespace FastMlp.Tests.Model;

public class InferenceModelTests
{
    [Fact]
    public void Predict_matches_a_hand_computed_forward_pass()
    {
        var model = new Mlp<double>([2, 2, 1], Activation.ReLU, Activation.Sigmoid, 1);
        model.SetWeights(0, [1, -1, 2, 0.5]); // W₀ [2×2] row-major [in × out]
        model.SetBiases(0, [0.5, -3]);
        model.SetWeights(1, [0.25, -2]);
        model.SetBiases(1, [0.1]);
        // x = (1, 2): z₀ = (1·1 + 2·2 + 0.5, 1·(−1) + 2·0.5 − 3) = (5.5, −3) → relu (5.5, 0); z₁ = 5.5·0.25 + 0.1
        var y = new double[1];
        model.Freeze().Predict([1, 2], y);
        Assert.Equal(1 / (1 + Math.Exp(-(5.5 * 0.25 + 0.1))), y[0], 14);
    }

    [Fact]
    public void Snapshot_is_unaffected_by_later_training_and_is_thread_safe()
    {
        var model = new Mlp<float>([16, 32, 4], Activation.Tanh, Activation.Softmax, 5);
        InferenceModel<float> frozen = model.Freeze();
        var random = new Random(1);
        float[] x = Enumerable.Range(0, 16 * 50).Select(_ => (float)random.NextDouble()).ToArray();
        // One row at a time: a batched call may take another GEMM path and round differently.
        var expected = new float[4 * 50];
        for (int r = 0; r < 50; r++)
        {
            frozen.Predict(x.AsSpan(r * 16, 16), expected.AsSpan(r * 4, 4));
        }
        var batched = new float[4 * 50];
        frozen.Predict(x, batched, 50);
        for (int i = 0; i < batched.Length; i++)
        {
            Assert.Equal(expected[i], batched[i], 1e-5f);
        }
        model.SetBiases(0, new float[32].Select(_ => 1f).ToArray());

        Parallel.For(0, 8, worker =>
        {
            var y = new float[4];
            for (int repeat = 0; repeat < 200; repeat++)
            {
                int row = (worker * 7 + repeat) % 50;
                frozen.Predict(x.AsSpan(row * 16, 16), y);
                Assert.Equal(expected.AsSpan(row * 4, 4).ToArray(), y);
            }
        });
    }
}
