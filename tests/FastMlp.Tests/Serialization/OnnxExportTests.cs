using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>Exported models run in ONNX Runtime and agree with FastMlp's own predictions.</summary>
public class OnnxExportTests
{
    public static TheoryData<Activation, Activation, bool> Architectures()
    {
        var data = new TheoryData<Activation, Activation, bool>();
        foreach (Activation hidden in Enum.GetValues<Activation>())
        {
            data.Add(hidden, Activation.Identity, true);
        }
        foreach (Activation output in Enum.GetValues<Activation>())
        {
            data.Add(Activation.ReLU, output, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Float_model_matches_onnx_runtime(Activation hidden, Activation output, bool standardize) =>
        Check<float>(hidden, output, standardize);

    [Theory]
    [InlineData(Activation.Tanh, Activation.Softmax, true)]
    [InlineData(Activation.LeakyReLU, Activation.Identity, false)]
    public void Double_model_exported_as_float_matches_onnx_runtime(Activation hidden, Activation output, bool standardize) =>
        Check<double>(hidden, output, standardize);

    [Fact]
    public void Graph_has_a_float_input_named_input_with_a_dynamic_batch()
    {
        string path = Export(TestModels.Create<float>([4, 3, 2], Activation.ReLU, Activation.Softmax, 1, standardize: true));
        try
        {
            using var session = new InferenceSession(path);
            NodeMetadata input = session.InputMetadata["input"];
            Assert.Equal(typeof(float), input.ElementType);
            Assert.Equal([-1, 4], input.Dimensions);
            Assert.Equal("batch", input.SymbolicDimensions[0]);
            Assert.Equal([-1, 2], session.OutputMetadata["output"].Dimensions);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Check<T>(Activation hidden, Activation output, bool standardize) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Mlp<T> model = TestModels.Create<T>([6, 16, 9, 4], hidden, output, seed: 5, standardize);
        InferenceModel<T> frozen = model.Freeze();
        string path = Export(model);
        try
        {
            using var session = new InferenceSession(path);
            foreach (int batch in new[] { 1, 3, 64 })
            {
                T[] x = TestModels.RandomInputs<T>(batch * 6, seed: 100 + batch);
                var expected = new T[batch * 4];
                frozen.Predict(x, expected, batch);
                float[] xf = x.Select(float.CreateTruncating).ToArray();
                using var inputs = OrtValue.CreateTensorValueFromMemory(xf, [batch, 6]);
                using IDisposableReadOnlyCollection<OrtValue> results = session.Run(new RunOptions(), ["input"], [inputs], ["output"]);
                ReadOnlySpan<float> actual = results[0].GetTensorDataAsSpan<float>();
                Assert.Equal(expected.Length, actual.Length);
                double scale = expected.Max(v => Math.Abs(double.CreateTruncating(v)));
                for (int i = 0; i < actual.Length; i++)
                {
                    double e = double.CreateTruncating(expected[i]);
                    // 1e-5 relative; values far below the row's scale are compared against that scale
                    // (a different summation order moves near-cancelling sums by a few ulps of the terms).
                    double tolerance = 1e-5 * Math.Max(Math.Abs(e), 1e-2 * Math.Max(scale, 1));
                    Assert.True(Math.Abs(actual[i] - e) <= tolerance, $"batch {batch}, element {i}: ONNX Runtime {actual[i]}, FastMlp {e}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Export<T>(Mlp<T> model) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string path = Path.Combine(Path.GetTempPath(), $"fastmlp-test-{Guid.NewGuid():N}.onnx");
        model.Freeze().ExportOnnx(path);
        return path;
    }
}
