namespace FastMlp.Serialization;

internal static partial class OnnxExport
{
    private const int Int8Type = 3; // TensorProto.DataType.INT8

    /// <summary>
    /// An int8 layer the way ONNX Runtime's dynamic quantization writes one: DynamicQuantizeLinear
    /// (u8 activations, per-tensor scale and zero point) → MatMulInteger with the int8 weights
    /// [inputs × outputs] (zero point 0: symmetric) → Cast to float → Mul by x_scale·weight_scale
    /// (per output) → Add bias. ONNX's activations are 8-bit per batch where FastMlp's are 7-bit per
    /// row, so the two agree to quantization error, not bit for bit.
    /// </summary>
    private static void AddInt8Layer(ProtobufWriter graph, int l, QuantizedLayer layer, string input, string z)
    {
        string p = $"layers.{l}.";
        var weights = new byte[layer.Weights!.Length];
        Buffer.BlockCopy(layer.Weights, 0, weights, 0, weights.Length);
        graph.Message(5, new ProtobufWriter().Varint(1, layer.Inputs).Varint(1, layer.Outputs).Varint(2, Int8Type).String(8, p + "weight_quantized").Bytes(9, weights));
        graph.Message(5, Tensor<float>(p + "weight_scale", layer.Scales, layer.Outputs));
        graph.Message(5, Tensor<float>(p + "bias", layer.Bias, layer.Outputs));

        var quantize = new ProtobufWriter().String(1, input)
            .String(2, p + "x_quantized").String(2, p + "x_scale").String(2, p + "x_zero_point")
            .String(3, p + "quantize").String(4, "DynamicQuantizeLinear");
        graph.Message(1, quantize);
        graph.Message(1, Node("MatMulInteger", p + "matmul", [p + "x_quantized", p + "weight_quantized", p + "x_zero_point"], p + "sums"));
        graph.Message(1, Node("Cast", p + "cast", [p + "sums"], p + "sums_float")
            .Message(5, new ProtobufWriter().String(1, "to").Varint(3, FloatType).Varint(20, 2)));
        graph.Message(1, Node("Mul", p + "scale", [p + "x_scale", p + "weight_scale"], p + "scale"));
        graph.Message(1, Node("Mul", p + "rescale", [p + "sums_float", p + "scale"], p + "rescaled"));
        graph.Message(1, Node("Add", p + "add_bias", [p + "rescaled", p + "bias"], z));
    }
}
