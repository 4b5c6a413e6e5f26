using FastMlp.Numerics;
using FastMlp.Tests.Numerics;
using FastMlp.Tests.Serialization;
using Xunit;

namespace FastMlp.Tests.Model;

public class QuantizationTests
{
    public static TheoryData<int[], Activation, Activation> Architectures() => new()
    {
        { [784, 128, 10], Activation.ReLU, Activation.Softmax },
        { [37, 64, 33, 17], Activation.Tanh, Activation.Identity },
        { [5, 16, 3], Activation.Sigmoid, Activation.Sigmoid },
        { [100, 48, 20], Activation.LeakyReLU, Activation.Softmax },
    };

    private static readonly int[] Batches = [1, 2, 3, 4, 5, 7, 8, 13, 64];

    [Fact]
    public void The_path_asked_for_is_the_path_that_runs()
    {
        // The per-path comparison below means something only if PredictOn runs the path it is given: a path this CPU
        // lacks (there is always one: ARM's on x64, x64's on ARM) must fail, not quietly run the default one.
        Int8Path missing = Enum.GetValues<Int8Path>().First(p => !Int8Dispatch.IsSupported(p));
        InferenceModel<float> int8 = TestModels.Create<float>([40, 32, 3], Activation.ReLU, Activation.Softmax, 3, standardize: false).Freeze().Quantize(WeightPrecision.Int8);
        float[] x = TestModels.RandomInputs<float>(40, 1);
        Assert.Throws<PlatformNotSupportedException>(() => int8.PredictOn(missing, x, new float[3], 1));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_int8_path_gives_the_same_predictions_bit_for_bit(int[] sizes, Activation hidden, Activation output)
    {
        Check<float>(sizes, hidden, output);
        Check<double>(sizes, hidden, output);

        static void Check<T>(int[] sizes, Activation hidden, Activation output) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            InferenceModel<T> int8 = TestModels.Create<T>(sizes, hidden, output, 3, standardize: true).Freeze().Quantize(WeightPrecision.Int8);
            foreach (int batch in Batches)
            {
                T[] x = TestModels.RandomInputs<T>(batch * sizes[0], batch);
                var reference = new T[batch * sizes[^1]];
                int8.PredictOn(Int8Path.Scalar, x, reference, batch);
                foreach (Int8Path path in Int8KernelTests.Paths)
                {
                    var y = new T[reference.Length];
                    int8.PredictOn(path, x, y, batch);
                    Assert.True(reference.AsSpan().SequenceEqual(y), $"{path}, batch {batch}: predictions differ from the scalar path.");
                }
                // Rows are quantized independently: a batch's last row predicted alone agrees (to float
                // rounding: the float layers and activations vectorize differently by position).
                var single = new T[sizes[^1]];
                int8.Predict(x.AsSpan((batch - 1) * sizes[0], sizes[0]), single);
                for (int j = 0; j < single.Length; j++)
                {
                    Assert.Equal(double.CreateTruncating(reference[((batch - 1) * sizes[^1]) + j]), double.CreateTruncating(single[j]), 1e-4);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Int8_predictions_stay_close_to_float(int[] sizes, Activation hidden, Activation output)
    {
        InferenceModel<float> full = TestModels.Create<float>(sizes, hidden, output, 11, standardize: false).Freeze();
        InferenceModel<float> int8 = full.Quantize(WeightPrecision.Int8);
        Assert.Equal(WeightPrecision.Full, full.Precision);
        Assert.Equal(WeightPrecision.Int8, int8.Precision);
        const int batch = 32;
        float[] x = TestModels.RandomInputs<float>(batch * sizes[0], 5);
        float[] expected = new float[batch * sizes[^1]], actual = new float[expected.Length];
        full.Predict(x, expected, batch);
        int8.Predict(x, actual, batch);
        double scale = expected.Max(Math.Abs) + 1e-3;
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        // 7-bit activations and 8-bit weights: errors of a few percent of the output range, never more.
        Assert.InRange(worst / scale, 0, 0.06);
        Assert.False(expected.AsSpan().SequenceEqual(actual), "int8 output identical to float: the int8 path did not run.");
    }

    [Fact]
    public void Narrow_layers_stay_in_float_and_wide_ones_are_int8()
    {
        InferenceModel<float> int8 = new Mlp<float>([20, 32, 15, 10], Activation.ReLU, Activation.Softmax, 1).Freeze().Quantize(WeightPrecision.Int8);
        Assert.Equal(new[] { true, false, false }, int8.Int8Network!.Layers.Select(l => l.IsInt8).ToArray());
    }

    [Fact]
    public void Layers_up_to_the_int8_input_limit_are_int8_and_wider_ones_stay_in_float()
    {
        // Exactly at the limit (the int32 sums' headroom) is int8; one input more is float.
        bool FirstIsInt8(int inputs) =>
            new Mlp<float>([inputs, QuantizedLayer.MinInt8Outputs], Activation.Identity, Activation.Identity, 1).Freeze().Quantize(WeightPrecision.Int8).Int8Network!.Layers[0].IsInt8;
        Assert.True(FirstIsInt8(QuantizedLayer.MaxInt8Inputs));
        Assert.False(FirstIsInt8(QuantizedLayer.MaxInt8Inputs + 1));
    }

    [Fact]
    public void Weights_are_symmetric_per_output_column()
    {
        var model = new Mlp<float>([2, 16], Activation.Identity, Activation.Identity, 1);
        float[] w = new float[32];
        w[0] = 0.5f;   // column 0: max |w| = 0.5
        w[16] = -0.25f;
        w[1] = -2f;    // column 1: max |w| = 2
        w[17] = 1f;
        model.SetWeights(0, w);
        QuantizedLayer layer = model.Freeze().Quantize(WeightPrecision.Int8).Int8Network!.Layers[0];
        Assert.Equal(0.5f / 127, layer.Scales![0]);
        Assert.Equal(2f / 127, layer.Scales[1]);
        Assert.Equal(new sbyte[] { 127, -127 }, new[] { layer.Weights![0], layer.Weights[1] });
        Assert.Equal(new sbyte[] { -64, 64 }, new[] { layer.Weights[16], layer.Weights[17] });
        Assert.Equal(0f, layer.Scales[2]);
    }

    [Fact]
    public void Quantizing_is_one_way_and_idempotent()
    {
        InferenceModel<float> int8 = new Mlp<float>([8, 16, 2], Activation.ReLU, Activation.Softmax, 1).Freeze().Quantize(WeightPrecision.Int8);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => int8.Quantize(WeightPrecision.Full));
        Assert.Contains("one way", e.Message);
        InferenceModel<float> again = int8.Quantize(WeightPrecision.Int8);
        float[] x = TestModels.RandomInputs<float>(8, 1);
        float[] a = new float[2], b = new float[2];
        int8.Predict(x, a);
        again.Predict(x, b);
        Assert.Equal(a, b);
        Assert.Throws<ArgumentOutOfRangeException>(() => int8.Quantize((WeightPrecision)7));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void Int8_predict_allocates_nothing_after_warm_up_on_one_or_two_threads(int batch)
    {
        Mlp<float> model = TestModels.Create<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, 2, standardize: true);
        foreach (int threads in new[] { 1, 2 })
        {
            using InferenceModel<float> int8 = model.Freeze(threads).Quantize(WeightPrecision.Int8);
            float[] x = TestModels.RandomInputs<float>(batch * 784, 3), y = new float[batch * 10];
            Allocations.AssertNone(() =>
            {
                for (int i = 0; i < 20; i++)
                {
                    int8.Predict(x, y, batch);
                }
            }, $"int8 Predict, batch {batch}, {threads} threads");
        }
    }

    [Fact]
    public void Two_threads_give_the_same_predictions_as_one()
    {
        Mlp<float> model = TestModels.Create<float>([300, 256, 128, 10], Activation.ReLU, Activation.Softmax, 4, standardize: false);
        using InferenceModel<float> one = model.Freeze(1).Quantize(WeightPrecision.Int8);
        using InferenceModel<float> two = model.Freeze(2).Quantize(WeightPrecision.Int8);
        Assert.Equal(2, two.Threads);
        foreach (int batch in new[] { 9, 64, 203 })
        {
            float[] x = TestModels.RandomInputs<float>(batch * 300, batch);
            float[] a = new float[batch * 10], b = new float[batch * 10];
            one.Predict(x, a, batch);
            two.Predict(x, b, batch);
            Assert.Equal(a, b);
        }
    }
}
