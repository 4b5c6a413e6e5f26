using BenchmarkDotNet.Attributes;

namespace FastMlp.Benchmarks;

/// <summary>Inference: a frozen model's Predict for one row and for a batch of 64.</summary>
[BenchmarkCategory("Predict")]
public class PredictBenchmarks
{
    private InferenceModel<float> _model = null!;
    private float[] _x = [], _y = [];
    private int _rows;

    [Params("784-128-10 x1", "784-128-10 x64", "64-32-10 x1")]
    public string Case { get; set; } = "784-128-10 x1";

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Case.StartsWith("784", StringComparison.Ordinal) ? [784, 128, 10] : [64, 32, 10];
        _rows = Case.EndsWith("x64", StringComparison.Ordinal) ? 64 : 1;
        var rng = new Random(3);
        _x = Enumerable.Range(0, _rows * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[_rows * sizes[^1]];
        _model = new Mlp<float>(sizes, Activation.ReLU, Activation.Softmax, seed: 1).Freeze();
        _model.Predict(_x, _y, _rows);
    }

    [Benchmark]
    public void Predict() => _model.Predict(_x, _y, _rows);
}
