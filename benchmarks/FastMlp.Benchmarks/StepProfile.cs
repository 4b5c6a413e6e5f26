namespace FastMlp.Benchmarks;

/// <summary>`profile-step`: where one 784-128-10 batch-64 step spends its time (tuning aid, best of rounds).</summary>
internal static class StepProfile
{
    public static int Run()
    {
        const int batch = 64;
        var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, 1);
        var rng = new Random(1);
        float[] x = Enumerable.Range(0, batch * 784).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] y = new float[batch * 10];
        for (int r = 0; r < batch; r++) y[(r * 10) + rng.Next(10)] = 1;
        int width = model.ActivationWidth;
        float[] act = new float[batch * width], deltas = new float[batch * width], logits = new float[batch * 10];
        float[] grads = new float[model.ParameterCount], v = new float[model.ParameterCount];
        int outOffset = batch * model.ActivationOffset(1);
        Optimizer sgd = Optimizer.Sgd(0.01, 0.9);
        long step = 0;
        QuickCheck.Report("forward", () => model.Forward(x, batch, act, logits));
        float[] w1 = model.GetWeights(0).ToArray(), w2 = model.GetWeights(1).ToArray();
        QuickCheck.Report("  x·W1", () => Numerics.Gemm.Multiply(false, false, batch, 128, 784, 1f, x, 784, w1, 128, 0f, act.AsSpan(0, batch * 128), 128));
        QuickCheck.Report("  h·W2", () => Numerics.Gemm.Multiply(false, false, batch, 10, 128, 1f, act.AsSpan(0, batch * 128), 128, w2, 10, 0f, act.AsSpan(batch * 128, batch * 10), 10));
        QuickCheck.Report("  bias+relu", () => LayerKernels<float>.BiasActivation(act.AsSpan(0, batch * 128), batch, 128, model.GetBiases(0), Activation.ReLU, default));
        QuickCheck.Report("  bias+softmax", () => LayerKernels<float>.BiasActivation(act.AsSpan(batch * 128, batch * 10), batch, 10, model.GetBiases(1), Activation.Softmax, logits));
        QuickCheck.Report("  dW1=xT·dZ", () => Numerics.Gemm.Multiply(true, false, 784, 128, batch, 1f, x, 784, deltas.AsSpan(0, batch * 128), 128, 0f, grads.AsSpan(0, 784 * 128), 128));
        QuickCheck.Report("loss", () => LossFunctions<float>.Compute(Loss.SoftmaxCrossEntropy, Activation.Softmax, logits, act.AsSpan(outOffset, batch * 10), y, batch, 10, deltas.AsSpan(outOffset, batch * 10)));
        QuickCheck.Report("backward", () => model.Backward(x, batch, act, deltas, grads));
        QuickCheck.Report("update", () => OptimizerUpdate<float>.Apply(sgd, 0.01, ++step, model.Parameters, grads, v, v));
        return 0;
    }
}
