using BenchmarkDotNet.Attributes;

namespace FastMlp.Benchmarks;

/// <summary>
/// The measurement behind keeping narrow layers in float: 784-128-10 Int8 with its 128→10 output layer in
/// float (the default) against the same model with that layer int8 too, one thread.
/// </summary>
[BenchmarkCategory("Predict", "Int8")]
public class Int8OutputLayerBenchmarks
{
    private InferenceModel<float> _floatOutput = null!, _int8Output = null!;
    private float[] _x = [], _y = [];

    [Params(1, 64)]
    public int Rows { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _x = Enumerable.Range(0, Rows * 784).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[Rows * 10];
        InferenceModel<float> full = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, seed: 1).Freeze();
        _floatOutput = full.Quantize(WeightPrecision.Int8);
        _int8Output = full.QuantizeAllLayers();
        FloatOutputLayer();
        Int8OutputLayer();
    }

    [Benchmark(Baseline = true)]
    public void FloatOutputLayer() => _floatOutput.Predict(_x, _y, Rows);

    [Benchmark]
    public void Int8OutputLayer() => _int8Output.Predict(_x, _y, Rows);
}
