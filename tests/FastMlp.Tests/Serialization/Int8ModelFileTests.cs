using FastMlp.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>Int8 model files: bit-identical round trips, what a loaded file becomes, and the hardened loader.</summary>
public class Int8ModelFileTests
{
    private static readonly byte[] ModelBytes = SmallInt8File();

    /// <summary>[5, 20, 3]: an int8 hidden layer and a float output layer, with a standardizer and class names.</summary>
    internal static byte[] SmallInt8File()
    {
        Mlp<float> model = TestModels.Create<float>([5, 20, 3], Activation.ReLU, Activation.Softmax, 7, standardize: true);
        model.Loss = Loss.SoftmaxCrossEntropy;
        model.ClassNames = ["a", "b", "c"];
        var stream = new MemoryStream();
        model.Freeze().Quantize(WeightPrecision.Int8).Network.Save(stream);
        return stream.ToArray();
    }

    internal static bool LoadsOrRejects(byte[] bytes)
    {
        try
        {
            InferenceModel<float>.Load(new MemoryStream(bytes), "fuzz").Dispose();
            return true;
        }
        catch (ModelFormatException)
        {
            return true;
        }
    }

    [Fact]
    public void Round_trip_is_bit_identical_in_predictions_and_bytes()
    {
        Mlp<float> model = TestModels.Create<float>([37, 64, 20, 3], Activation.Tanh, Activation.Identity, 5, standardize: true);
        InferenceModel<float> int8 = model.Freeze().Quantize(WeightPrecision.Int8);
        string path = TestModels.TempPath();
        try
        {
            int8.Save(path);
            InferenceModel<float> loaded = InferenceModel<float>.Load(path);
            Assert.Equal(WeightPrecision.Int8, loaded.Precision);
            float[] x = TestModels.RandomInputs<float>(9 * 37, 1);
            float[] a = new float[27], b = new float[27];
            int8.Predict(x, a, 9);
            loaded.Predict(x, b, 9);
            Assert.Equal(a, b);
            string again = TestModels.TempPath();
            loaded.Save(again);
            Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
            File.Delete(again);

            // The file holds I8 weights, F32 scales and says what it is.
            SafeTensors file = SafeTensors.Read(File.OpenRead(path), path);
            Assert.Equal("Int8", file.Metadata["precision"]);
            Assert.Equal("2", file.Metadata["format_version"]);
            Assert.Equal(TensorType.I8, file.Tensors["layers.0.weight"].Type);
            Assert.Equal(TensorType.F32, file.Tensors["layers.0.weight_scale"].Type);
            Assert.Equal(TensorType.F32, file.Tensors["layers.2.weight"].Type); // 3 outputs: kept in float
            Assert.False(file.Tensors.ContainsKey("layers.2.weight_scale"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_double_int8_model_round_trips_bit_identical_too()
    {
        InferenceModel<double> int8 = TestModels.Create<double>([12, 32, 2], Activation.ReLU, Activation.Sigmoid, 3, standardize: true).Freeze().Quantize(WeightPrecision.Int8);
        var stream = new MemoryStream();
        int8.Network.Save(stream);
        stream.Position = 0;
        InferenceModel<double> loaded = InferenceModel<double>.Load(stream);
        double[] x = TestModels.RandomInputs<double>(5 * 12, 2);
        double[] a = new double[10], b = new double[10];
        int8.Predict(x, a, 5);
        loaded.Predict(x, b, 5);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_loaded_int8_network_freezes_to_int8_until_its_weights_change()
    {
        Mlp<float> network = Mlp<float>.Load(new MemoryStream(ModelBytes), "small");
        Assert.Equal(WeightPrecision.Int8, network.Precision);
        Assert.Equal(WeightPrecision.Int8, network.Freeze().Precision);
        Assert.Equal(["a", "b", "c"], network.ClassNames);
        // Its float weights are the dequantized ones: q·scale.
        QuantizedLayer layer = network.Freeze().Int8Network!.Layers[0];
        Assert.Equal(layer.Weights![7] * layer.Scales![7 % 20], network.GetWeights(0)[7]);
        float[] w = network.GetWeights(0).ToArray();
        w[0] += 0.5f;
        network.SetWeights(0, w);
        Assert.Equal(WeightPrecision.Full, network.Precision);
        Assert.Equal(WeightPrecision.Full, network.Freeze().Precision);
    }

    [Fact]
    public void The_intact_small_file_loads_and_every_truncation_is_rejected()
    {
        Assert.True(LoadsOrRejects(ModelBytes));
        Assert.Equal(WeightPrecision.Int8, InferenceModel<float>.Load(new MemoryStream(ModelBytes)).Precision);
        for (int length = 0; length < ModelBytes.Length; length += 3)
        {
            Assert.Throws<ModelFormatException>(() => InferenceModel<float>.Load(new MemoryStream(ModelBytes.AsSpan(0, length).ToArray()), "cut"));
        }
    }

    [Property(MaxTest = 300)]
    public Property Random_damage_loads_or_is_rejected_never_crashes() =>
        Prop.ForAll(ModelFileFuzzTests.DamageOf(ModelBytes).ToArbitrary(), bytes => LoadsOrRejects(bytes));

    /// <summary>Files with a valid checksum but bad contents (the checksum alone would catch random damage).</summary>
    public static TheoryData<string, string> BadContents() => new()
    {
        { "minus128", "−128" },
        { "negative-scale", "weight_scale' element 1" },
        { "nan-scale", "weight_scale' element 0" },
        { "missing-scale", "layers.0.weight_scale' is missing" },
        { "f64-weight", "is F64, but an Int8 model needs I8 or F32" },
        { "extra", "'extra' is not part of a [2, 16, 1] Int8" },
        { "bad-precision", "metadata 'precision' is 'Int4'" },
        { "wrong-shape", "has shape [2, 16], but the architecture needs [16, 2]" },
    };

    [Theory]
    [MemberData(nameof(BadContents))]
    public void Bad_contents_are_rejected_with_a_reason(string kind, string reason)
    {
        var writer = new SafeTensors.Writer();
        writer.Metadata["format"] = "fastmlp";
        writer.Metadata["format_version"] = "2";
        writer.Metadata["precision"] = kind == "bad-precision" ? "Int4" : "Int8";
        writer.Metadata["layer_sizes"] = "2,16,1";
        writer.Metadata["hidden_activation"] = "ReLU";
        writer.Metadata["output_activation"] = "Identity";
        var q = new sbyte[32];
        q[5] = kind == "minus128" ? sbyte.MinValue : (sbyte)3;
        if (kind == "f64-weight")
        {
            writer.Add("layers.0.weight", new double[32], 16, 2);
        }
        else
        {
            writer.Add("layers.0.weight", q, kind == "wrong-shape" ? [2, 16] : [16, 2]);
        }
        float[] scales = new float[16];
        scales[1] = kind == "negative-scale" ? -1f : 0.5f;
        scales[0] = kind == "nan-scale" ? float.NaN : 0.1f;
        if (kind != "missing-scale")
        {
            writer.Add("layers.0.weight_scale", scales, 16);
        }
        writer.Add("layers.0.bias", new float[16], 16);
        writer.Add("layers.1.weight", new float[16], 1, 16);
        writer.Add("layers.1.bias", new float[1], 1);
        if (kind == "extra")
        {
            writer.Add("extra", new float[1], 1);
        }
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        var e = Assert.Throws<ModelFormatException>(() => InferenceModel<float>.Load(new MemoryStream(stream.ToArray()), "bad.fastmlp"));
        Assert.Contains(reason, e.Message);
        Assert.StartsWith("bad.fastmlp: ", e.Message);
    }

    [Fact]
    public void A_full_precision_file_is_still_written_as_version_1()
    {
        var stream = new MemoryStream();
        new Mlp<float>([2, 3], Activation.ReLU, Activation.Identity, 1).Save(stream);
        stream.Position = 0;
        SafeTensors file = SafeTensors.Read(stream, "full");
        Assert.Equal("1", file.Metadata["format_version"]);
        Assert.False(file.Metadata.ContainsKey("precision"));
    }
}
