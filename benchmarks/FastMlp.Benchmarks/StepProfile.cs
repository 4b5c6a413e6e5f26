using System.Diagnostics;

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
        Time("forward", () => model.Forward(x, batch, act, logits));
        float[] w1 = model.GetWeights(0).ToArray(), w2 = model.GetWeights(1).ToArray();
        Time("  x·W1", () => Numerics.Gemm.Multiply(false, false, batch, 128, 784, 1f, x, 784, w1, 128, 0f, act.AsSpan(0, batch * 128), 128));
        Time("  h·W2", () => Numerics.Gemm.Multiply(false, false, batch, 10, 128, 1f, act.AsSpan(0, batch * 128), 128, w2, 10, 0f, act.AsSpan(batch * 128, batch * 10), 10));
        Time("  bias+relu", () => Dense<float>.BiasActivation(act.AsSpan(0, batch * 128), batch, 128, model.GetBiases(0), Activation.ReLU, default));
        Time("  bias+softmax", () => Dense<float>.BiasActivation(act.AsSpan(batch * 128, batch * 10), batch, 10, model.GetBiases(1), Activation.Softmax, logits));
        Time("  dW1=xT·dZ", () => Numerics.Gemm.Multiply(true, false, 784, 128, batch, 1f, x, 784, deltas.AsSpan(0, batch * 128), 128, 0f, grads.AsSpan(0, 784 * 128), 128));
        Time("loss", () => LossFunctions<float>.Compute(Loss.SoftmaxCrossEntropy, Activation.Softmax, logits, act.AsSpan(outOffset, batch * 10), y, batch, 10, deltas.AsSpan(outOffset, batch * 10)));
        Time("backward", () => model.Backward(x, batch, act, deltas, grads));
        Time("update", () => OptimizerUpdate<float>.Apply(sgd, 0.01, ++step, model.Parameters, grads, v, v));
        return 0;
    }

    private static void Time(string name, Action a)
    {
        // Warm up past tier-0 and on-stack replacement so the optimized code is what gets timed.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500) a();
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 200; i++) a();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / 200);
        }
        Console.WriteLine($"{name,-10} {best,8:F1} µs");
    }
}
