using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace FastMlp.Benchmarks;

/// <summary>
/// Inference, one thread: FastMlp float and int8 (<see cref="InferenceModel{T}.Quantize"/>) against ONNX
/// Runtime running the same networks exported by FastMlp as float (Gemm) and as int8 (DynamicQuantizeLinear
/// + MatMulInteger, the graph ORT's own dynamic quantization writes), all in one run; ORT int8 is the baseline.
/// </summary>
[BenchmarkCategory("Predict", "Int8")]
public class Int8PredictBenchmarks
{
    private InferenceModel<float> _float = null!, _int8 = null!;
    private InferenceSession _ortFloat = null!, _ortInt8 = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!, _output = null!;
    private float[] _x = [], _y = [];
    private int _rows;
    private readonly List<string> _paths = [];

    [Params("784-128-10 x1", "784-128-10 x64", "784-256-128-10 x1", "784-256-128-10 x64")]
    public string Case { get; set; } = "784-128-10 x1";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Case.Split(' ');
        int[] sizes = parts[0].Split('-').Select(int.Parse).ToArray();
        _rows = int.Parse(parts[1][1..], System.Globalization.CultureInfo.InvariantCulture);
        var rng = new Random(3);
        _x = Enumerable.Range(0, _rows * sizes[0]).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[_rows * sizes[^1]];
        _float = new Mlp<float>(sizes, Activation.ReLU, Activation.Softmax, seed: 1).Freeze();
        _int8 = _float.Quantize(WeightPrecision.Int8);
        _ortFloat = Session(_float);
        _ortInt8 = Session(_int8);
        _runOptions = new RunOptions();
        _input = OrtValue.CreateTensorValueFromMemory(_x, [_rows, sizes[0]]);
        _output = OrtValue.CreateTensorValueFromMemory(_y, [_rows, sizes[^1]]);
        FastMlpFloat();
        FastMlpInt8();
        OrtFloat();
        OrtInt8();
    }

    private InferenceSession Session(InferenceModel<float> model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fastmlp-bench-{Guid.NewGuid():N}.onnx");
        model.ExportOnnx(path);
        _paths.Add(path);
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(path, options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ortFloat.Dispose();
        _ortInt8.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        foreach (string path in _paths)
        {
            File.Delete(path);
        }
    }

    [Benchmark]
    public void FastMlpFloat() => _float.Predict(_x, _y, _rows);

    [Benchmark]
    public void FastMlpInt8() => _int8.Predict(_x, _y, _rows);

    [Benchmark]
    public void OrtFloat() => _ortFloat.Run(_runOptions, ["input"], [_input], ["output"], [_output]);

    [Benchmark(Baseline = true)]
    public void OrtInt8() => _ortInt8.Run(_runOptions, ["input"], [_input], ["output"], [_output]);
}
