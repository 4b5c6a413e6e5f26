using FastMlp.Tests.Serialization;
using Xunit;

namespace FastMlp.Tests.Model;

/// <summary>What <see cref="WeightPrecision"/> a model reports and keeps through Quantize, Save/Load and later changes.</summary>
public sealed class PrecisionTests
{
    [Fact]
    public void A_full_model_reports_full_everywhere_and_quantizing_to_full_copies_it()
    {
        var network = new Mlp<float>([20, 32, 10], Activation.ReLU, Activation.Softmax, 1);
        Assert.Equal(WeightPrecision.Full, network.Precision);
        using InferenceModel<float> two = network.Freeze(2);
        Assert.Equal(WeightPrecision.Full, two.Precision);
        Assert.Equal([WeightPrecision.Full, WeightPrecision.Full], two.LayerPrecisions);
        Assert.Null(two.Int8Network);
        using InferenceModel<float> copy = two.Quantize(WeightPrecision.Full);
        Assert.NotSame(two, copy);
        Assert.Equal(2, copy.Threads);
        Assert.Equal(WeightPrecision.Full, copy.Precision);
        float[] x = TestModels.RandomInputs<float>(20, 1);
        float[] a = new float[10], b = new float[10];
        two.Predict(x, a);
        copy.Predict(x, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void An_int8_model_reports_its_layers_and_keeps_its_threads()
    {
        using InferenceModel<float> int8 = new Mlp<float>([20, 32, 10], Activation.ReLU, Activation.Softmax, 1).Freeze(2).Quantize(WeightPrecision.Int8);
        Assert.Equal(WeightPrecision.Int8, int8.Precision);
        Assert.Equal([WeightPrecision.Int8, WeightPrecision.Full], int8.LayerPrecisions);
        Assert.Equal(2, int8.Threads);
        using InferenceModel<float> again = int8.Quantize(WeightPrecision.Int8);
        Assert.Equal(2, again.Threads);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => int8.Quantize((WeightPrecision)7));
        Assert.Equal("precision", e.ParamName);
        Assert.StartsWith("7 is not a WeightPrecision value; valid: Full (0), Int8 (1).", e.Message);
    }

    [Fact]
    public void A_loaded_int8_network_is_int8_until_its_parameters_change()
    {
        InferenceModel<float> int8 = TestModels.Create<float>([20, 32, 10], Activation.ReLU, Activation.Softmax, 3, standardize: true).Freeze().Quantize(WeightPrecision.Int8);
        var stream = new MemoryStream();
        int8.Save(stream);
        stream.Position = 0;
        Mlp<float> loaded = Mlp<float>.Load(stream);
        Assert.Equal(WeightPrecision.Int8, loaded.Precision);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => loaded.Freeze(0)).ParamName);
        using (InferenceModel<float> frozen = loaded.Freeze(2))
        {
            Assert.Equal(WeightPrecision.Int8, frozen.Precision);
            Assert.Equal(2, frozen.Threads);
            float[] x = TestModels.RandomInputs<float>(3 * 20, 4);
            float[] a = new float[30], b = new float[30];
            int8.Predict(x, a, 3);
            frozen.Predict(x, b, 3);
            Assert.Equal(a, b);
        }
        Mlp<float> clone = loaded.Clone();
        loaded.SetBiases(1, new float[10]);
        Assert.Equal(WeightPrecision.Full, loaded.Precision);
        Assert.Equal(WeightPrecision.Full, loaded.Freeze().Precision);
        Assert.Equal(WeightPrecision.Full, clone.Precision);   // a clone does not carry the int8 layers
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]   // 50·20 + 50·10 values: the double model's float staging grows past its first 1024
    public void A_double_int8_model_predicts_as_the_float_one_standardizer_rounded_to_float(int batch)
    {
        Mlp<float> single = TestModels.Create<float>([20, 32, 10], Activation.ReLU, Activation.Identity, 5, standardize: false);
        var twin = new Mlp<double>([20, 32, 10], Activation.ReLU, Activation.Identity, 5);
        for (int l = 0; l < 2; l++)
        {
            twin.SetWeights(l, single.GetWeights(l).ToArray().Select(v => (double)v).ToArray());
            twin.SetBiases(l, single.GetBiases(l).ToArray().Select(v => (double)v).ToArray());
        }
        // Means not representable in float; scales powers of two (exact in both types).
        double[] mean = Enumerable.Range(0, 20).Select(i => 0.1 * (i + 1)).ToArray();
        double[] std = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 0.5 : 2).ToArray();
        single.Standardizer = new Standardizer<float>(mean.Select(v => (float)v).ToArray(), std.Select(v => (float)v).ToArray());
        twin.Standardizer = new Standardizer<double>(mean, std);

        InferenceModel<float> floatInt8 = single.Freeze().Quantize(WeightPrecision.Int8);
        InferenceModel<double> doubleInt8 = twin.Freeze().Quantize(WeightPrecision.Int8);
        float[] x = TestModels.RandomInputs<float>(batch * 20, batch);
        float[] expected = new float[batch * 10];
        double[] actual = new double[batch * 10];
        floatInt8.Predict(x, expected, batch);
        doubleInt8.Predict(x.Select(v => (double)v).ToArray(), actual, batch);
        Assert.Equal(expected.Select(v => (double)v), actual);
        Assert.Equal((double)(float)0.1, doubleInt8.Standardizer!.Mean[0]);
    }
}
