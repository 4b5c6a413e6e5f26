using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// Every optimizer's vectorized update (body and tail, float and double, one thread and split over a
/// worker pool) against an independent scalar double loop written here in PyTorch's form, over
/// several steps with a fresh random gradient each step (one step of Adam hides most mistakes:
/// m̂/√v̂ = sign(g) whatever is added to g).
/// </summary>
public sealed class OptimizerReferenceTests : IDisposable
{
    private readonly WorkerPool _two = new(2);
    private readonly WorkerPool _three = new(3);

    public void Dispose()
    {
        _two.Dispose();
        _three.Dispose();
    }

    public static TheoryData<string> Optimizers => [.. Cases.Keys];

    // Large weight decays and a large ε so that every term moves the result well past float rounding.
    private static readonly Dictionary<string, Optimizer> Cases = new()
    {
        ["sgd"] = Optimizer.Sgd(0.1),
        ["sgd+decay"] = Optimizer.Sgd(0.1, weightDecay: 0.2),
        ["momentum"] = Optimizer.Sgd(0.1, momentum: 0.9),
        ["momentum+decay"] = Optimizer.Sgd(0.05, momentum: 0.8, weightDecay: 0.2),
        ["nesterov"] = Optimizer.Sgd(0.1, momentum: 0.9, nesterov: true),
        ["nesterov+decay"] = Optimizer.Sgd(0.05, momentum: 0.7, nesterov: true, weightDecay: 0.3),
        ["adam"] = Optimizer.Adam(0.01),
        ["adam+l2"] = Optimizer.Adam(0.01, weightDecay: 0.3),
        ["adam+l2,betas,epsilon"] = Optimizer.Adam(0.02, beta1: 0.7, beta2: 0.95, epsilon: 1e-2, weightDecay: 0.2),
        ["adamw"] = Optimizer.AdamW(0.01, weightDecay: 0.3),
        ["adamw,betas,epsilon"] = Optimizer.AdamW(0.03, beta1: 0.6, beta2: 0.9, epsilon: 1e-2, weightDecay: 0.5),
    };

    private const int Steps = 4;

    /// <summary>Parameter counts: tail only, around the float (8) and double (4) vector widths and 16, and 37.</summary>
    private static readonly int[] Sizes = [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 37];

    /// <summary>The reference: scalar, double, PyTorch's formulas (bias-corrected moments spelled out).</summary>
    private static void Reference(Optimizer o, double lr, int step, double[] p, double[] g, double[] m, double[] v)
    {
        for (int i = 0; i < p.Length; i++)
        {
            if (o.Kind == OptimizerKind.Sgd)
            {
                double d = g[i] + (o.WeightDecay * p[i]);
                if (o.Momentum > 0)
                {
                    m[i] = (o.Momentum * m[i]) + d;
                    d = o.Nesterov ? d + (o.Momentum * m[i]) : m[i];
                }
                p[i] -= lr * d;
                continue;
            }
            double gi = o.Kind == OptimizerKind.Adam ? g[i] + (o.WeightDecay * p[i]) : g[i];
            if (o.Kind == OptimizerKind.AdamW)
            {
                p[i] -= lr * o.WeightDecay * p[i];
            }
            m[i] = (o.Beta1 * m[i]) + ((1 - o.Beta1) * gi);
            v[i] = (o.Beta2 * v[i]) + ((1 - o.Beta2) * gi * gi);
            double mHat = m[i] / (1 - Math.Pow(o.Beta1, step));
            double vHat = v[i] / (1 - Math.Pow(o.Beta2, step));
            p[i] -= lr * mHat / (Math.Sqrt(vHat) + o.Epsilon);
        }
    }

    private static T[] Random<T>(Random rng, int n, double scale) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Enumerable.Range(0, n).Select(_ => T.CreateTruncating(((rng.NextDouble() * 2) - 1) * scale)).ToArray();

    private static double[] ToDouble<T>(T[] values) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        values.Select(double.CreateTruncating).ToArray();

    /// <summary>
    /// Runs <see cref="Steps"/> updates through <paramref name="update"/> and the reference side by side
    /// and returns the kernel's parameters; asserts after every step that each parameter is within
    /// <paramref name="tolerance"/> (relative to max(1, |p|)) of the reference.
    /// </summary>
    private static T[] RunAgainstReference<T>(string name, int n, double tolerance, Action<Optimizer, double, long, T[], T[], T[], T[]> update)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Optimizer o = Cases[name];
        var rng = new Random(n * 31 + name.Length);
        T[] p = Random<T>(rng, n, 1.5);
        double[] refP = ToDouble(p), refM = new double[n], refV = new double[n];
        var first = new T[o.StateVectors >= 1 ? n : 0];
        var second = new T[o.StateVectors >= 2 ? n : 0];
        for (int step = 1; step <= Steps; step++)
        {
            T[] g = Random<T>(rng, n, 1.0);
            // A schedule may change the rate between steps: the kernel must use the one it is given.
            double lr = o.LearningRate * (1 + (0.25 * step));
            update(o, lr, step, p, g, first, second);
            Reference(o, lr, step, refP, ToDouble(g), refM, refV);
            for (int i = 0; i < n; i++)
            {
                double actual = double.CreateTruncating(p[i]);
                double error = Math.Abs(actual - refP[i]) / Math.Max(1, Math.Abs(refP[i]));
                if (!(error <= tolerance))
                {
                    Assert.Fail($"{name} {typeof(T).Name} n={n} step {step}: p[{i}] = {actual:R}, reference {refP[i]:R} (relative error {error:E2}).");
                }
            }
        }
        return p;
    }

    private static void Serial<T>(Optimizer o, double lr, long step, T[] p, T[] g, T[] first, T[] second)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        OptimizerUpdate<T>.Apply(o, lr, step, p, g, first, second);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Float_update_matches_the_double_reference_in_the_vector_body_and_the_tail(string name)
    {
        foreach (int n in Sizes)
        {
            RunAgainstReference<float>(name, n, 2e-6, Serial);
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Double_update_matches_the_double_reference_in_the_vector_body_and_the_tail(string name)
    {
        foreach (int n in Sizes)
        {
            RunAgainstReference<double>(name, n, 1e-13, Serial);
        }
    }

    /// <summary>
    /// 2 parts of ≥ 32,768 parameters on two threads and 3 parts on three (with a ragged tail): the
    /// split update is bit-identical to one pass and matches the reference.
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Parallel_update_is_bit_identical_to_one_thread_and_matches_the_reference(string name)
    {
        // 2·32,768 + 1: the rounded-down share is a multiple of 16, so only the last part's "to the end" covers the last element.
        (WorkerPool Pool, int N)[] runs = [(_two, (2 * ParallelOptimizerUpdate<float>.MinimumPerPart) + 37), (_two, (2 * ParallelOptimizerUpdate<float>.MinimumPerPart) + 1),
                                           (_three, (3 * ParallelOptimizerUpdate<float>.MinimumPerPart) + 21)];
        foreach ((WorkerPool pool, int n) in runs)
        {
            Assert.True(n / ParallelOptimizerUpdate<float>.MinimumPerPart >= pool.Threads, "the case must split into one part per thread");
            Compare<float>(name, pool, n, 2e-6);
            Compare<double>(name, pool, n, 1e-13);
        }
    }

    private static void Compare<T>(string name, WorkerPool pool, int n, double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var parallel = new ParallelOptimizerUpdate<T>();
        T[] split = RunAgainstReference<T>(name, n, tolerance, (o, lr, step, p, g, first, second) => parallel.Apply(pool, o, lr, step, p, g, first, second));
        T[] single = RunAgainstReference<T>(name, n, tolerance, Serial);
        Assert.True(split.AsSpan().SequenceEqual(single), $"{name} {typeof(T).Name}: the split update differs from one pass.");
    }

    [Fact]
    public void Without_a_pool_the_parallel_update_is_one_pass()
    {
        var parallel = new ParallelOptimizerUpdate<float>();
        int n = (2 * ParallelOptimizerUpdate<float>.MinimumPerPart) + 5;
        float[] single = RunAgainstReference<float>("adam+l2", n, 2e-6, Serial);
        float[] none = RunAgainstReference<float>("adam+l2", n, 2e-6, (o, lr, step, p, g, first, second) => parallel.Apply(null, o, lr, step, p, g, first, second));
        Assert.True(none.AsSpan().SequenceEqual(single));
    }

    /// <summary>
    /// Through the trainer: the 37 parameters of a [4, 5, 2] net follow the reference for every optimizer
    /// over four steps, the third one with a batch larger than the trainer has room for (the arena regrows
    /// and the optimizer state must survive it), the step count driving Adam's bias correction.
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Trainer_steps_follow_the_reference_across_an_arena_regrowth(string name)
    {
        Optimizer o = Cases[name];
        var model = new Mlp<double>([4, 5, 2], Activation.Tanh, Activation.Identity, seed: 9);
        Assert.Equal(37, model.ParameterCount);
        using var trainer = new Trainer<double>(model, new TrainerOptions<double> { Optimizer = o, BatchSize = 8 });
        double[] p = model.Parameters.ToArray(), m = new double[37], v = new double[37];
        var rng = new Random(name.Length);
        foreach ((int step, int batch) in new[] { (1, 8), (2, 8), (3, 40), (4, 8) })
        {
            double[] x = Enumerable.Range(0, batch * 4).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            double[] y = Enumerable.Range(0, batch * 2).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var g = new double[37];
            trainer.GradientsWithoutUpdate(x, y, batch, g);
            trainer.Step(x, y, batch);
            Reference(o, o.LearningRate, step, p, g, m, v);
            Assert.Equal(step, trainer.StepCount);
            double[] actual = model.Parameters.ToArray();
            for (int i = 0; i < 37; i++)
            {
                Assert.True(Math.Abs(actual[i] - p[i]) <= 1e-13 * Math.Max(1, Math.Abs(p[i])), $"{name} step {step} (batch {batch}): p[{i}] = {actual[i]:R}, reference {p[i]:R}");
            }
        }
    }
}
