using FastMlp.TestFiles;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>
/// <see cref="Mlp{T}.ImportPyTorch(string, Activation, Activation)"/> on state dicts built byte by byte: predictions
/// against a hand computation in every dtype, the exact conversion of F16/BF16 bit patterns, and every bad input.
/// </summary>
public sealed class PyTorchImportTests
{
    // nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 2)): weights [out × in] as PyTorch stores them, all
    // exactly representable in F16 and BF16. Not symmetric, so a missing transpose changes the result.
    private static readonly double[,] W0 = { { 1, -2, 0.5 }, { 0.25, 1, -1 } };
    private static readonly double[] B0 = [0.5, -0.25];
    private static readonly double[,] W2 = { { 2, -1 }, { 0.5, 0.75 } };
    private static readonly double[] B2 = [0, 1];

    // By hand, x = [3, 1, 2]: z0 = [3 − 2 + 1 + 0.5, 0.75 + 1 − 2 − 0.25] = [2.5, −0.5] → ReLU [2.5, 0]
    //   → [2·2.5 − 0 + 0, 0.5·2.5 + 0 + 1] = [5, 2.25].
    // x = [0, 1, −1]: z0 = [−2 − 0.5 + 0.5, 1 + 1 − 0.25] = [−2, 1.75] → ReLU [0, 1.75] → [−1.75, 0.75·1.75 + 1] = [−1.75, 2.3125].
    private static readonly float[] Inputs = [3, 1, 2, 0, 1, -1];
    private static readonly float[] Expected = [5, 2.25f, -1.75f, 2.3125f];

    private static TorchStateDictFile TwoLayers(string dtype) => new TorchStateDictFile().Linear(0, dtype, W0, B0).Linear(2, dtype, W2, B2);

    private static Mlp<T> Import<T>(TorchStateDictFile file, Activation hidden = Activation.ReLU, Activation output = Activation.Identity)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Mlp<T>.ImportPyTorch(new MemoryStream(file.ToBytes()), hidden, output, "state.safetensors");

    private static ModelFormatException Refused(TorchStateDictFile file) =>
        Assert.Throws<ModelFormatException>(() => Import<float>(file));

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    [InlineData("F64")]
    public void Predictions_match_the_hand_computation(string dtype)
    {
        Mlp<float> model = Import<float>(TwoLayers(dtype));
        Assert.Equal([3, 2, 2], model.LayerSizes.ToArray());
        Assert.Equal(Activation.ReLU, model.HiddenActivation);
        Assert.Equal(Activation.Identity, model.OutputActivation);
        var outputs = new float[4];
        model.Freeze().Predict(Inputs, outputs, batchSize: 2);
        Assert.Equal(Expected, outputs);
    }

    [Fact]
    public void Weights_are_transposed_into_inputs_by_outputs()
    {
        Mlp<double> model = Import<double>(TwoLayers("F32"));
        // W0ᵀ row by row: input 0 → [1, 0.25], input 1 → [−2, 1], input 2 → [0.5, −1].
        Assert.Equal([1, 0.25, -2, 1, 0.5, -1], model.GetWeights(0).ToArray());
        Assert.Equal(B0, model.GetBiases(0).ToArray());
        Assert.Equal([2, 0.5, -1, 0.75], model.GetWeights(1).ToArray());
        Assert.Equal(B2, model.GetBiases(1).ToArray());
    }

    [Fact]
    public void Softmax_output_gives_the_probabilities_of_the_logits()
    {
        Mlp<double> model = Import<double>(TwoLayers("F32"), Activation.ReLU, Activation.Softmax);
        var outputs = new double[2];
        model.Freeze().Predict([3.0, 1, 2], outputs);
        // softmax([5, 2.25]) = [1, e^−2.75] / (1 + e^−2.75)
        double other = Math.Exp(-2.75);
        Assert.Equal(1 / (1 + other), outputs[0], 1e-15);
        Assert.Equal(other / (1 + other), outputs[1], 1e-15);
    }

    [Fact]
    public void Half_and_bfloat16_bit_patterns_convert_exactly()
    {
        // F16 0x3C01 = 1 + 2⁻¹⁰, 0xC000 = −2, 0x0001 = 2⁻²⁴ (subnormal); BF16 0x3F81 = 1 + 2⁻⁷, 0xC040 = −3, 0x0080 = 2⁻¹²⁶.
        var file = new TorchStateDictFile()
            .AddRaw("0.weight", "F16", [1, 3], [0x01, 0x3C, 0x00, 0xC0, 0x01, 0x00])
            .AddRaw("0.bias", "F16", [1], [0x00, 0x3C])
            .AddRaw("1.weight", "BF16", [3, 1], [0x81, 0x3F, 0x40, 0xC0, 0x80, 0x00])
            .AddRaw("1.bias", "BF16", [3], [0x80, 0x3F, 0x00, 0x00, 0x00, 0xBF]);
        Mlp<double> model = Import<double>(file);
        Assert.Equal([1 + Math.Pow(2, -10), -2, Math.Pow(2, -24)], model.GetWeights(0).ToArray());
        Assert.Equal([1.0], model.GetBiases(0).ToArray());
        Assert.Equal([1 + Math.Pow(2, -7), -3, Math.Pow(2, -126)], model.GetWeights(1).ToArray());
        Assert.Equal([1.0, 0, -0.5], model.GetBiases(1).ToArray());
    }

    [Fact]
    public void F64_values_are_rounded_to_float_to_nearest()
    {
        var file = new TorchStateDictFile().Linear(0, "F64", new[,] { { 0.1, 1.0 / 3 } }, [Math.PI]);
        Mlp<float> model = Import<float>(file);
        Assert.Equal([0.1f, 1f / 3], model.GetWeights(0).ToArray());
        Assert.Equal([MathF.PI], model.GetBiases(0).ToArray());
    }

    [Fact]
    public void Layer_indices_are_ordered_as_numbers_not_as_text()
    {
        // 0: 3 → 4, 2: 4 → 5, 10: 5 → 1. As text "10" sorts before "2" and the shapes would not chain.
        var file = new TorchStateDictFile()
            .Linear(10, "F32", new double[1, 5], [7])
            .Linear(0, "F32", new double[4, 3], [0, 0, 0, 0])
            .Linear(2, "F32", new double[5, 4], [0, 0, 0, 0, 0]);
        Mlp<float> model = Import<float>(file);
        Assert.Equal([3, 4, 5, 1], model.LayerSizes.ToArray());
        var output = new float[1];
        model.Freeze().Predict([1f, 2, 3], output);
        Assert.Equal(7f, output[0]);
    }

    [Fact]
    public void An_imported_model_saves_and_loads_as_a_FastMlp_model()
    {
        Mlp<float> model = Import<float>(TwoLayers("BF16"), Activation.Tanh, Activation.Sigmoid);
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        Mlp<float> loaded = Mlp<float>.Load(stream);
        Assert.Equal(Activation.Tanh, loaded.HiddenActivation);
        Assert.Equal(Activation.Sigmoid, loaded.OutputActivation);
        Assert.Equal(model.GetWeights(0).ToArray(), loaded.GetWeights(0).ToArray());
        Assert.Equal(model.GetWeights(1).ToArray(), loaded.GetWeights(1).ToArray());
    }

    [Fact]
    public void The_path_overload_reads_a_file_and_names_it_in_errors()
    {
        string path = TestModels.TempPath();
        try
        {
            TwoLayers("F16").WriteTo(path);
            Assert.Equal([3, 2, 2], Mlp<float>.ImportPyTorch(path, Activation.ReLU, Activation.Identity).LayerSizes.ToArray());
            new TorchStateDictFile().Linear(0, "F32", new double[2, 3], [0, 0]).Linear(2, "F32", new double[2, 4], [0, 0]).WriteTo(path);
            var e = Assert.Throws<ModelFormatException>(() => Mlp<float>.ImportPyTorch(path, Activation.ReLU, Activation.Identity));
            Assert.StartsWith(path + ": ", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<FileNotFoundException>(() => Mlp<float>.ImportPyTorch(path, Activation.ReLU, Activation.Identity));
    }

    [Fact]
    public void Layers_that_do_not_chain_are_refused_naming_both_tensors_and_shapes()
    {
        var file = new TorchStateDictFile().Linear(0, "F32", new double[4, 3], new double[4]).Linear(2, "F32", new double[2, 5], new double[2]);
        ModelFormatException e = Refused(file);
        Assert.Equal("state.safetensors: the layers do not chain: '2.weight' has shape [2, 5] and takes 5 inputs, " +
                     "but the layer before it, '0.weight' [4, 3], gives 4 outputs.", e.Message);
    }

    [Fact]
    public void A_weight_without_its_bias_is_refused()
    {
        var file = new TorchStateDictFile().Linear(0, "F32", new double[2, 3], [0, 0]).Add("2.weight", "F32", [1, 2], 1, 1);
        ModelFormatException e = Refused(file);
        Assert.Contains("'2.weight' has no '2.bias' beside it", e.Message);
        Assert.Contains("bias=False", e.Message);
    }

    [Fact]
    public void A_bias_without_its_weight_is_refused()
    {
        var file = new TorchStateDictFile().Linear(0, "F32", new double[2, 3], [0, 0]).Add("2.bias", "F32", [1], 1);
        Assert.Contains("'2.bias' has no '2.weight' beside it", Refused(file).Message);
    }

    [Theory]
    [InlineData("I64", "tensor '0.weight' is I64; Linear weights and biases are imported from F32, F16, BF16 or F64.")]
    [InlineData("F8_E4M3", "tensor '0.weight' has dtype 'F8_E4M3'; FastMlp reads")]
    public void An_unsupported_dtype_is_refused(string dtype, string message)
    {
        var file = new TorchStateDictFile().AddRaw("0.weight", dtype, [1, 1], new byte[dtype == "I64" ? 8 : 1]).Add("0.bias", "F32", [1], 0);
        Assert.Contains(message, Refused(file).Message);
    }

    [Fact]
    public void A_file_without_layers_is_refused()
    {
        Assert.Contains("the file holds no Linear layer", Refused(new TorchStateDictFile()).Message);
    }

    [Theory]
    [InlineData("1.running_mean")]
    [InlineData("net.0.weight")]
    [InlineData("0.0.weight")]
    [InlineData("01.weight")]
    [InlineData("-1.weight")]
    [InlineData("weight")]
    [InlineData("0.weight_orig")]
    public void A_tensor_that_is_not_a_linear_layers_is_refused(string name)
    {
        var file = TwoLayers("F32").Add(name, "F32", [2], 1, 2);
        ModelFormatException e = Refused(file);
        Assert.Contains($"tensor '{name}' is not a Linear layer's 'N.weight' or 'N.bias'", e.Message);
        Assert.Contains("BatchNorm", e.Message);
    }

    [Fact]
    public void A_normalization_layers_one_dimensional_weight_is_refused()
    {
        // nn.LayerNorm(2) at index 1 has '1.weight' [2] and '1.bias' [2], names a Linear layer could have.
        var file = TwoLayers("F32").Add("1.weight", "F32", [2], 1, 1).Add("1.bias", "F32", [2], 0, 0);
        Assert.Contains("'1.weight' has shape [2]; a Linear weight is 2-D [out_features, in_features]", Refused(file).Message);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 0)]
    public void An_empty_weight_dimension_is_refused(int outputs, int inputs)
    {
        var file = new TorchStateDictFile().Add("0.weight", "F32", [outputs, inputs]).Add("0.bias", "F32", [outputs], new double[outputs]);
        Assert.Contains($"'0.weight' has shape [{outputs}, {inputs}]; a Linear weight is 2-D", Refused(file).Message);
    }

    [Theory]
    [InlineData(new long[] { 3 })]
    [InlineData(new long[] { 2, 1 })]
    public void A_bias_that_does_not_match_its_weight_is_refused(long[] shape)
    {
        var file = new TorchStateDictFile().Add("0.weight", "F32", [2, 3], new double[6]).Add("0.bias", "F32", shape, new double[shape.Aggregate(1L, (a, b) => a * b)]);
        Assert.Contains($"'0.bias' has shape [{string.Join(", ", shape)}], but '0.weight' [2, 3] needs a bias of shape [2]", Refused(file).Message);
    }

    [Fact]
    public void A_value_that_is_not_finite_is_refused_naming_the_tensor_and_element()
    {
        // F16 0x7C00 = +∞ at element 1 of the bias.
        var file = new TorchStateDictFile().Add("0.weight", "F16", [2, 1], 1, 2).AddRaw("0.bias", "F16", [2], [0x00, 0x00, 0x00, 0x7C]);
        Assert.Contains("tensor '0.bias' element 1 is Infinity; weights and biases must be finite", Refused(file).Message);
    }

    [Fact]
    public void An_F64_value_outside_float_range_is_refused()
    {
        var file = new TorchStateDictFile().Add("0.weight", "F64", [1, 1], 1e300).Add("0.bias", "F64", [1], 0);
        Assert.Contains("tensor '0.weight' element 0 is 1E+300 (outside Single's range)", Refused(file).Message);
        Assert.Equal(1e300, Import<double>(file).GetWeights(0)[0]);
    }

    [Fact]
    public void A_truncated_file_is_refused_by_the_hardened_reader()
    {
        byte[] bytes = TwoLayers("F32").ToBytes();
        var e = Assert.Throws<ModelFormatException>(() => Mlp<float>.ImportPyTorch(new MemoryStream(bytes[..^4]), Activation.ReLU, Activation.Identity, "cut"));
        Assert.StartsWith("cut: ", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Arguments_are_checked_before_the_file_is_read()
    {
        var stream = new MemoryStream(TwoLayers("F32").ToBytes());
        Assert.Equal("hidden", Assert.Throws<ArgumentOutOfRangeException>(() => Mlp<float>.ImportPyTorch(stream, (Activation)99, Activation.Identity)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentOutOfRangeException>(() => Mlp<float>.ImportPyTorch(stream, Activation.ReLU, (Activation)99)).ParamName);
        Assert.Equal(0, stream.Position);
        Assert.Throws<ArgumentNullException>(() => Mlp<float>.ImportPyTorch((Stream)null!, Activation.ReLU, Activation.Identity));
        Assert.Throws<ArgumentException>(() => Mlp<float>.ImportPyTorch("", Activation.ReLU, Activation.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mlp<float>.ImportPyTorch("missing.safetensors", (Activation)99, Activation.Identity));
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => Mlp<float>.ImportPyTorch(new ForwardOnlyStream(), Activation.ReLU, Activation.Identity)).ParamName);
    }

    private sealed class ForwardOnlyStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
