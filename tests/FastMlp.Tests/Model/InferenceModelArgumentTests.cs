using Xunit;

namespace FastMlp.Tests.Model;

/// <summary><see cref="InferenceModel{T}"/>: argument checks at their boundaries, what the snapshot exposes, standardization inside Predict.</summary>
public sealed class InferenceModelArgumentTests
{
    private static Mlp<double> Network() => new([3, 4, 2], Activation.Tanh, Activation.Softmax, 2)
    {
        Loss = Loss.SoftmaxCrossEntropy,
        ClassNames = ["a", "b"],
    };

    [Fact]
    public void Predict_checks_the_batch_and_both_lengths()
    {
        InferenceModel<double> model = Network().Freeze();
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(new double[3], new double[2], 0));
        Assert.Equal("batchSize", batch.ParamName);
        Assert.Contains("Batch size must be ≥ 1, but was 0", batch.Message);
        var inputs = Assert.Throws<ArgumentException>(() => model.Predict(new double[7], new double[4], 2));
        Assert.Equal("inputs", inputs.ParamName);
        Assert.Contains("inputs has 7 values, but 2 rows × 3 inputs need 6", inputs.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new double[5], new double[4], 2));
        var outputs = Assert.Throws<ArgumentException>(() => model.Predict(new double[6], new double[5], 2));
        Assert.Equal("outputs", outputs.ParamName);
        Assert.Contains("outputs has 5 values, but 2 rows × 2 outputs need 4", outputs.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new double[6], new double[3], 2));
        var y = new double[4];
        model.Predict(new double[6], y, 2);
        Assert.Equal(1.0, y[0] + y[1], 1e-15);
    }

    [Fact]
    public void The_stream_overloads_refuse_null_and_write_what_the_path_overloads_write()
    {
        Mlp<double> network = Network();
        InferenceModel<double> model = network.Freeze();
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => model.Save((Stream)null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => model.ExportOnnx((Stream)null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => network.Save((Stream)null!)).ParamName);

        string folder = Directory.CreateTempSubdirectory("fastmlp-streams-").FullName;
        try
        {
            string onnx = Path.Combine(folder, "m.onnx"), file = Path.Combine(folder, "m.fastmlp");
            model.ExportOnnx(onnx);
            model.Save(file);
            using var onnxStream = new MemoryStream();
            model.ExportOnnx(onnxStream);
            Assert.Equal(File.ReadAllBytes(onnx), onnxStream.ToArray());
            using var fileStream = new MemoryStream();
            model.Save(fileStream);
            Assert.Equal(File.ReadAllBytes(file), fileStream.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Threads_must_be_at_least_one_and_are_reported()
    {
        Mlp<double> network = Network();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.Freeze(0));
        Assert.Equal("threads", e.ParamName);
        Assert.Contains("Threads must be ≥ 1, but was 0", e.Message);
        Assert.Equal(1, network.Freeze().Threads);
        Assert.Equal(1, network.Freeze(1).Threads);
        using InferenceModel<double> two = network.Freeze(2);
        Assert.Equal(2, two.Threads);
        var single = new double[2];
        var pooled = new double[2];
        network.Freeze().Predict([0.5, -1, 2], single);
        two.Predict([0.5, -1, 2], pooled);
        Assert.Equal(single, pooled);
    }

    [Fact]
    public void The_snapshot_exposes_the_networks_description()
    {
        Mlp<double> network = Network();
        network.Standardizer = new Standardizer<double>([1.0, 2, 3], [2.0, 2, 2]);
        InferenceModel<double> model = network.Freeze();
        Assert.Equal(3, model.InputCount);
        Assert.Equal(2, model.OutputCount);
        Assert.Equal([3, 4, 2], model.LayerSizes.ToArray());
        Assert.Equal(Activation.Tanh, model.HiddenActivation);
        Assert.Equal(Activation.Softmax, model.OutputActivation);
        Assert.Equal(Loss.SoftmaxCrossEntropy, model.Loss);
        Assert.Equal(["a", "b"], model.ClassNames);
        Assert.Same(network.Standardizer, model.Standardizer);
    }

    [Fact]
    public void Predict_standardizes_raw_inputs_first()
    {
        Mlp<double> network = Network();
        double[] raw = [3, -2, 5, 1, 2, 3];
        var plain = new double[4];
        network.Freeze().Predict([1, -2, 1, 0, 0, 0], plain, 2);   // (x − mean) / std by hand
        network.Standardizer = new Standardizer<double>([1.0, 2, 3], [2.0, 2, 2]);
        var standardized = new double[4];
        network.Freeze().Predict(raw, standardized, 2);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(plain[i], standardized[i], 1e-14);
        }
        Assert.Equal([3.0, -2, 5, 1, 2, 3], raw);   // the caller's inputs are not changed
    }

    [Fact]
    public void A_larger_batch_after_a_smaller_one_grows_the_scratch_and_stays_correct()
    {
        var network = new Mlp<float>([30, 64, 40], Activation.ReLU, Activation.Identity, 3)
        {
            Standardizer = new Standardizer<float>(new float[30], Enumerable.Repeat(0.5f, 30).ToArray()),
        };
        InferenceModel<float> model = network.Freeze();
        var random = new Random(2);
        float[] x = Enumerable.Range(0, 30 * 40).Select(_ => (float)random.NextDouble()).ToArray();
        var rowByRow = new float[40 * 40];
        for (int r = 0; r < 40; r++)
        {
            model.Predict(x.AsSpan(r * 30, 30), rowByRow.AsSpan(r * 40, 40));
        }
        // 40 rows need 40·(64 + 40) + 40·30 values of scratch, more than the first 1024.
        var batched = new float[40 * 40];
        model.Predict(x, batched, 40);
        for (int i = 0; i < batched.Length; i++)
        {
            Assert.Equal(rowByRow[i], batched[i], 1e-4f);
        }
    }
}
