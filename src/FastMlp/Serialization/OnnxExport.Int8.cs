namespace FastMlp.Serialization;

internal static partial class OnnxExport
{
    private const int UInt8Type = 2; // TensorProto.DataType.UINT8
    private const byte WeightZeroPoint = 128;

    /// <summary>
    /// An int8 layer the way ONNX Runtime's dynamic quantization writes one: DynamicQuantizeLinear
    /// (u8 activations, per-tensor scale and zero point) → MatMulInteger → Cast to float → Mul by
    /// x_scale·weight_scale (per output) → Add bias. The int8 weights q [inputs × outputs] are stored as
    /// u8 q + 128 with weight zero point 128, so MatMulInteger computes the same sums Σ (x − x_zp)·q.
    /// Why u8 and not s8: on x86 without VNNI (AVX2 only), ONNX Runtime runs u8×s8 through VPMADDUBSW,
    /// whose pairwise sums saturate at 16 bits (255·127·2 > 32767) and give wrong outputs (measured: 0.192
    /// where the operators specify 0.184 on an AVX2-only EPYC); its u8×u8 kernel widens first and never
    /// saturates. ONNX's activations are 8-bit per batch where FastMlp's are 7-bit per row, so the two agree
    /// to quantization error, not bit for bit.
    /// </summary>
    private static void AddInt8Layer(ProtobufWriter graph, int l, QuantizedLayer layer, string input, string z)
    {
        string p = $"layers.{l}.";
        sbyte[] q = layer.Weights!;
        var weights = new byte[q.Length];
        for (int i = 0; i < q.Length; i++)
        {
            weights[i] = (byte)(q[i] + WeightZeroPoint);
        }
        graph.Message(5, new ProtobufWriter().Varint(1, layer.Inputs).Varint(1, layer.Outputs).Varint(2, UInt8Type).String(8, p + "weight_quantized").Bytes(9, weights));
        graph.Message(5, new ProtobufWriter().Varint(2, UInt8Type).String(8, p + "weight_zero_point").Bytes(9, [WeightZeroPoint]));
        graph.Message(5, Tensor<float>(p + "weight_scale", layer.Scales, layer.Outputs));
        graph.Message(5, Tensor<float>(p + "bias", layer.Bias, layer.Outputs));

        var quantize = new ProtobufWriter().String(1, input)
            .String(2, p + "x_quantized").String(2, p + "x_scale").String(2, p + "x_zero_point")
            .String(3, p + "quantize").String(4, "DynamicQuantizeLinear");
        graph.Message(1, quantize);
        graph.Message(1, Node("MatMulInteger", p + "matmul", [p + "x_quantized", p + "weight_quantized", p + "x_zero_point", p + "weight_zero_point"], p + "sums"));
        graph.Message(1, Node("Cast", p + "cast", [p + "sums"], p + "sums_float")
            .Message(5, new ProtobufWriter().String(1, "to").Varint(3, FloatType).Varint(20, 2)));
        graph.Message(1, Node("Mul", p + "scale", [p + "x_scale", p + "weight_scale"], p + "scale"));
        graph.Message(1, Node("Mul", p + "rescale", [p + "sums_float", p + "scale"], p + "rescaled"));
        graph.Message(1, Node("Add", p + "add_bias", [p + "rescaled", p + "bias"], z));
    }
}
