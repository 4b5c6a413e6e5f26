using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>
/// Int8 models exported as DynamicQuantizeLinear + MatMulInteger run in ONNX Runtime and compute what
/// the ONNX operators specify with FastMlp's int8 weights and scales (simulated here), and agree with
/// FastMlp's own int8 predictions to quantization error.
/// </summary>
public class OnnxInt8ExportTests
{
    [Theory]
    [InlineData(new[] { 30, 64, 10 }, Activation.ReLU, Activation.Softmax, true)]
    [InlineData(new[] { 13, 32, 20, 3 }, Activation.Tanh, Activation.Identity, false)]
    [InlineData(new[] { 8, 16, 16 }, Activation.Sigmoid, Activation.Sigmoid, true)]
    public void Exported_int8_model_runs_in_onnx_runtime_as_specified(int[] sizes, Activation hidden, Activation output, bool standardize)
    {
        InferenceModel<float> int8 = TestModels.Create<float>(sizes, hidden, output, 9, standardize).Freeze().Quantize(WeightPrecision.Int8);
        string path = Path.Combine(Path.GetTempPath(), $"fastmlp-test-{Guid.NewGuid():N}.onnx");
        try
        {
            int8.ExportOnnx(path);
            using var session = new InferenceSession(path);
            Assert.Contains(session.ModelMetadata.ProducerName, "FastMlp");
            foreach (int batch in new[] { 1, 5, 64 })
            {
                float[] x = TestModels.RandomInputs<float>(batch * sizes[0], batch);
                using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, sizes[0]]);
                using IDisposableReadOnlyCollection<OrtValue> results = session.Run(new RunOptions(), ["input"], [input], ["output"]);
                float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();
                float[] specified = Simulate(int8, x, batch);
                float[] fastMlp = new float[actual.Length];
                int8.Predict(x, fastMlp, batch);
                double scale = specified.Max(Math.Abs) + 1e-3;
                for (int i = 0; i < actual.Length; i++)
                {
                    // Rounding ties may fall differently (x/scale in ORT); one level moves a sum by ~1e-3 of the range.
                    Assert.True(Math.Abs(actual[i] - specified[i]) <= 2e-3 * scale, $"batch {batch}, element {i}: ONNX Runtime {actual[i]}, ONNX semantics {specified[i]}");
                    // Against FastMlp, one row (where ONNX's per-tensor range is the row's range): 8-bit against
                    // 7-bit activations, each a few % from float. Larger batches widen ONNX's range, not FastMlp's.
                    Assert.True(batch > 1 || Math.Abs(actual[i] - fastMlp[i]) <= 0.1 * scale, $"batch {batch}, element {i}: ONNX Runtime {actual[i]}, FastMlp int8 {fastMlp[i]}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The exported graph's meaning per the ONNX operator definitions, in float.</summary>
    private static float[] Simulate(InferenceModel<float> model, float[] input, int batch)
    {
        float[] x = (float[])input.Clone();
        if (model.Standardizer is { } s)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (x[i] - s.Mean[i % s.FeatureCount]) * s.InverseScale[i % s.FeatureCount];
            }
        }
        foreach (QuantizedLayer layer in model.Int8Network!.Layers)
        {
            int k = layer.Inputs, n = layer.Outputs;
            var z = new float[batch * n];
            if (layer.IsInt8)
            {
                // DynamicQuantizeLinear: one scale and zero point for the whole tensor, u8.
                float lo = Math.Min(0f, x.Min()), hi = Math.Max(0f, x.Max());
                float xs = (hi - lo) / 255f;
                int zp = (int)Math.Clamp(MathF.Round(0f - (lo / xs)), 0, 255);
                for (int r = 0; r < batch; r++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        int sum = 0;
                        for (int p = 0; p < k; p++)
                        {
                            int q = (int)Math.Clamp(MathF.Round(x[(r * k) + p] / xs) + zp, 0, 255);
                            sum += (q - zp) * layer.Weights![(p * n) + j];
                        }
                        z[(r * n) + j] = ((float)sum * (xs * layer.Scales![j])) + layer.Bias[j];
                    }
                }
            }
            else
            {
                for (int r = 0; r < batch; r++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float sum = layer.Bias[j];
                        for (int p = 0; p < k; p++)
                        {
                            sum += x[(r * k) + p] * layer.FloatWeights![(p * n) + j];
                        }
                        z[(r * n) + j] = sum;
                    }
                }
            }
            Activate(z, batch, n, layer.Activation);
            x = z;
        }
        return x;
    }

    private static void Activate(float[] z, int rows, int cols, Activation activation)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = z.AsSpan(r * cols, cols);
            float max = row.ToArray().Max(), total = 0f;
            for (int j = 0; j < cols; j++)
            {
                row[j] = activation switch
                {
                    Activation.ReLU => Math.Max(row[j], 0f),
                    Activation.Tanh => MathF.Tanh(row[j]),
                    Activation.Sigmoid => 1f / (1f + MathF.Exp(-row[j])),
                    Activation.Softmax => MathF.Exp(row[j] - max),
                    _ => row[j],
                };
                total += row[j];
            }
            if (activation == Activation.Softmax)
            {
                for (int j = 0; j < cols; j++)
                {
                    row[j] /= total;
                }
            }
        }
    }
}
