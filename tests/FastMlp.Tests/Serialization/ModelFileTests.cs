using FastMlp.Serialization;
using Xunit;

namespace FastMlp.Tests.Serialization;

public class ModelFileTests
{
    public static TheoryData<Activation, Activation, Loss?> Architectures()
    {
        var data = new TheoryData<Activation, Activation, Loss?>();
        foreach (Activation hidden in Enum.GetValues<Activation>())
        {
            data.Add(hidden, Activation.Identity, Loss.MeanSquaredError);
        }
        foreach (Activation output in Enum.GetValues<Activation>())
        {
            data.Add(Activation.Tanh, output, null);
        }
        data.Add(Activation.ReLU, Activation.Identity, Loss.MeanAbsoluteError);
        data.Add(Activation.ReLU, Activation.Softmax, Loss.SoftmaxCrossEntropy);
        data.Add(Activation.LeakyReLU, Activation.Sigmoid, Loss.BinaryCrossEntropy);
        return data;
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Round_trip_float_predicts_bit_identically(Activation hidden, Activation output, Loss? loss) =>
        RoundTrip<float>(hidden, output, loss);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Round_trip_double_predicts_bit_identically(Activation hidden, Activation output, Loss? loss) =>
        RoundTrip<double>(hidden, output, loss);

    private static void RoundTrip<T>(Activation hidden, Activation output, Loss? loss) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Mlp<T> model = TestModels.Create<T>([5, 7, 6, 3], hidden, output, seed: 11, standardize: true);
        model.Loss = loss;
        model.ClassNames = output == Activation.Softmax ? ["cat", "dog", "ünïcode \"quoted\""] : null;
        string path = TestModels.TempPath();
        try
        {
            model.Save(path);
            Mlp<T> loaded = Mlp<T>.Load(path);
            Assert.Equal(model.LayerSizes.ToArray(), loaded.LayerSizes.ToArray());
            Assert.Equal(model.HiddenActivation, loaded.HiddenActivation);
            Assert.Equal(model.OutputActivation, loaded.OutputActivation);
            Assert.Equal(loss, loaded.Loss);
            Assert.Equal(model.ClassNames, loaded.ClassNames);
            Assert.True(model.Parameters.SequenceEqual(loaded.Parameters));
            Assert.True(model.Standardizer!.Mean.SequenceEqual(loaded.Standardizer!.Mean));
            Assert.True(model.Standardizer.InverseScale.SequenceEqual(loaded.Standardizer.InverseScale));

            InferenceModel<T> direct = InferenceModel<T>.Load(path);
            Assert.Equal(loss, direct.Loss);
            foreach (int batch in new[] { 1, 9 })
            {
                T[] x = TestModels.RandomInputs<T>(batch * 5, seed: batch);
                T[] expected = new T[batch * 3], viaMlp = new T[batch * 3], viaInference = new T[batch * 3];
                model.Freeze().Predict(x, expected, batch);
                loaded.Freeze().Predict(x, viaMlp, batch);
                direct.Predict(x, viaInference, batch);
                Assert.True(expected.AsSpan().SequenceEqual(viaMlp), "Mlp.Load predictions differ");
                Assert.True(expected.AsSpan().SequenceEqual(viaInference), "InferenceModel.Load predictions differ");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InferenceModel_save_writes_the_same_file_as_the_mlp()
    {
        Mlp<float> model = TestModels.Create<float>([3, 4, 2], Activation.ReLU, Activation.Softmax, 3, standardize: false);
        var a = new MemoryStream();
        model.Save(a);
        string path = TestModels.TempPath();
        try
        {
            model.Freeze().Save(path);
            Assert.Equal(a.ToArray(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void File_is_plain_safetensors_with_the_documented_layout()
    {
        Mlp<float> model = TestModels.Create<float>([3, 4, 2], Activation.ReLU, Activation.Softmax, 3, standardize: true);
        model.Loss = Loss.SoftmaxCrossEntropy;
        model.ClassNames = ["no", "yes"];
        var stream = new MemoryStream();
        model.Save(stream);
        byte[] bytes = stream.ToArray();
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0ul, (8 + headerLength) % 8);
        using var json = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var meta = json.RootElement.GetProperty("__metadata__");
        Assert.Equal("fastmlp", meta.GetProperty("format").GetString());
        Assert.Equal("1", meta.GetProperty("format_version").GetString());
        Assert.Equal("3,4,2", meta.GetProperty("layer_sizes").GetString());
        Assert.Equal("ReLU", meta.GetProperty("hidden_activation").GetString());
        Assert.Equal("Softmax", meta.GetProperty("output_activation").GetString());
        Assert.Equal("SoftmaxCrossEntropy", meta.GetProperty("loss").GetString());
        Assert.Equal("[\"no\",\"yes\"]", meta.GetProperty("class_names").GetString());
        var w0 = json.RootElement.GetProperty("layers.0.weight");
        Assert.Equal("F32", w0.GetProperty("dtype").GetString());
        Assert.Equal([4, 3], w0.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        // PyTorch nn.Linear layout: weight[o, i] is FastMlp's W[i, o].
        long begin = w0.GetProperty("data_offsets")[0].GetInt64();
        int data = 8 + (int)headerLength + (int)begin;
        Assert.Equal(model.GetWeights(0)[1 * 4 + 0], BitConverter.ToSingle(bytes, data + 4 * (0 * 3 + 1)));
        Assert.Equal(model.GetWeights(0)[2 * 4 + 3], BitConverter.ToSingle(bytes, data + 4 * (3 * 3 + 2)));
    }

    [Fact]
    public void Loading_with_the_wrong_element_type_names_the_right_one()
    {
        var stream = new MemoryStream();
        TestModels.Create<double>([2, 3, 1], Activation.Tanh, Activation.Identity, 1, standardize: false).Save(stream);
        stream.Position = 0;
        var e = Assert.Throws<ModelFormatException>(() => Mlp<float>.Load(stream, "m.safetensors"));
        Assert.Contains("m.safetensors", e.Message);
        Assert.Contains("Mlp<double>", e.Message);
    }

    [Fact]
    public void Standardizer_from_arrays_still_takes_standard_deviations()
    {
        // Guards the loader's private (mean, inverse scale) constructor against capturing this call.
        float[] mean = [1, 2], std = [2, 4];
        var standardizer = new Standardizer<float>(mean, std);
        Assert.Equal([0.5f, 0.25f], standardizer.InverseScale.ToArray());
    }

    [Fact]
    public void A_missing_file_is_FileNotFound_not_a_format_error()
    {
        Assert.Throws<FileNotFoundException>(() => Mlp<float>.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".safetensors")));
    }

    [Fact]
    public void Class_names_must_match_the_outputs()
    {
        var model = new Mlp<float>([2, 3], Activation.ReLU, Activation.Softmax, 1);
        Assert.Throws<ArgumentException>(() => model.ClassNames = ["a", "b"]);
        Assert.Throws<ArgumentException>(() => model.Loss = Loss.BinaryCrossEntropy);
    }

    [Fact]
    public void Files_written_without_a_checksum_still_load()
    {
        // What another tool (e.g. Python's safetensors) writes when it edits the weights.
        Mlp<float> model = TestModels.Create<float>([2, 3, 1], Activation.Tanh, Activation.Identity, 1, standardize: false);
        var writer = new SafeTensors.Writer();
        ModelFile<float>.AddTo(model, writer);
        byte[] bytes = RawSafeTensors.WithoutChecksum(writer);
        Mlp<float> loaded = Mlp<float>.Load(new MemoryStream(bytes));
        Assert.True(model.Parameters.SequenceEqual(loaded.Parameters));
    }
}
