using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.NativeAot;
using FastMlp.Numerics;

namespace FastMlp.Benchmarks;

/// <summary>
/// What a deployed app sees, run by `deploy`: predict (batch 1 and 64) and a training step of 784-128-10
/// under the JIT and as NativeAOT binaries with .NET's default instruction set (x86-64-v2), the FastMlp
/// package's default (x86-64-v3) and x86-64-v4 (AVX-512). The GEMM path each one runs is printed in setup.
/// </summary>
[BenchmarkCategory("Deploy")]
public class DeploymentBenchmarks
{
    private const int Batches = 16;
    private InferenceModel<float> _model = null!;
    private Trainer<float> _trainer = null!;
    private float[][] _x = [], _y = [];
    private readonly float[] _out = new float[64 * 10];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// GEMM path {Gemm.ActivePath}, CPU supports {Gemm.CpuPath}");
        var rng = new Random(1);
        _x = new float[Batches][];
        _y = new float[Batches][];
        for (int i = 0; i < Batches; i++)
        {
            _x[i] = [.. Enumerable.Range(0, 64 * 784).Select(_ => (float)rng.NextDouble())];
            _y[i] = new float[64 * 10];
            for (int r = 0; r < 64; r++) _y[i][(r * 10) + rng.Next(10)] = 1f;
        }
        var network = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed: 1);
        _model = network.Freeze();
        _trainer = new Trainer<float>(new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed: 1),
            new TrainerOptions<float> { Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd(0.1, momentum: 0.9), BatchSize = 64 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer.Dispose();
        _model.Dispose();
    }

    private float[] NextBatch()
    {
        int i = _next;
        _next = (i + 1) & (Batches - 1);
        return _x[i];
    }

    [Benchmark(Description = "predict b1")]
    public void PredictOne() => _model.Predict(NextBatch().AsSpan(0, 784), _out.AsSpan(0, 10));

    [Benchmark(Description = "predict b64")]
    public void PredictBatch() => _model.Predict(NextBatch(), _out, 64);

    [Benchmark(Description = "train step b64")]
    public float TrainStep()
    {
        int i = _next;
        _next = (i + 1) & (Batches - 1);
        return _trainer.Step(_x[i], _y[i], 64);
    }

    /// <summary>
    /// The JIT job and one NativeAOT job per instruction set, on <paramref name="baseJob"/>'s iteration settings:
    /// AOT-v2 is .NET's default (x86-64-v2), AOT-v3 the FastMlp package's default, AOT-v4 adds AVX-512,
    /// AOT-native is BenchmarkDotNet's default (the host CPU's instruction sets).
    /// </summary>
    public static IConfig Jobs(IConfig config, Job baseJob)
    {
        // BenchmarkDotNet's NativeAOT toolchain targets the host's instruction set when none is given (AOT-native).
        string? only = Environment.GetEnvironmentVariable("FASTMLP_DEPLOY_AOT"); // e.g. "AOT-v2,AOT-v3": a subset of the AOT jobs
        config = config.AddJob(baseJob.WithRuntime(BenchmarkDotNet.Environments.CoreRuntime.Core10_0).WithId("JIT").AsBaseline());
        foreach ((string id, string? set) in new[] { ("AOT-v2", "x86-64-v2"), ("AOT-v3", "x86-64-v3"), ("AOT-v4", "x86-64-v4"), ("AOT-native", (string?)null) }
                     .Where(j => only is null || only.Split(',').Contains(j.Item1)))
        {
            NativeAotToolchainBuilder builder = NativeAotToolchain.CreateBuilder().UseNuGet();
            if (set is not null)
            {
                builder = builder.IlcInstructionSet(set);
            }
            config = config.AddJob(baseJob.WithRuntime(BenchmarkDotNet.Environments.NativeAotRuntime.Net10_0).WithToolchain(builder.TargetFrameworkMoniker("net10.0").DisplayName(id).ToToolchain()).WithId(id));
        }
        return config;
    }
}
