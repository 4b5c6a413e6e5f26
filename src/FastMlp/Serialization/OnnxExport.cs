using System.Runtime.InteropServices;

namespace FastMlp.Serialization;

/// <summary>
/// Writes an <see cref="Mlp{T}"/> as an ONNX model (IR version 7, opset 13): input "input" float
/// [batch × inputs] (batch is the symbolic dimension "batch"), optional standardization
/// (Sub mean, Mul inverse_scale), then per layer Gemm(x, W [in × out], b) and the activation
/// (Sigmoid, Tanh, Relu, LeakyRelu α = 0.01, Softmax over the last axis; Identity adds no node),
/// output "output" float [batch × outputs]. Field numbers are those of onnx.proto.
/// </summary>
internal static partial class OnnxExport
{
    private const long IrVersion = 7;
    private const long Opset = 13;
    private const int FloatType = 1; // TensorProto.DataType.FLOAT

    public static void Save<T>(Mlp<T> model, string path) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        byte[] bytes = Build(model);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    public static byte[] Build<T>(Mlp<T> model) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var graph = new ProtobufWriter();
        string current = "input";
        // A categorical or missing-indicator schema is exported with its encoding: raw columns in, features inside. A
        // schema of plain numeric columns keeps the one input tensor, but its missing cells (NaN) get the fill values.
        var tabularInputs = new List<ProtobufWriter>();
        bool usesMlDomain = model.Schema is not null;
        if (model.Schema is { HasEncodedColumns: true } schema)
        {
            current = AddTabularEncoding(graph, schema, tabularInputs);
        }
        else if (model.Schema is { } numeric)
        {
            current = AddNumericImputation(graph, numeric, current);
        }
        if (model.Standardizer is { } standardizer)
        {
            graph.Message(5, Tensor("standardizer.mean", standardizer.Mean, standardizer.FeatureCount));
            graph.Message(5, Tensor("standardizer.inverse_scale", standardizer.InverseScale, standardizer.FeatureCount));
            graph.Message(1, Node("Sub", "standardize.sub", [current, "standardizer.mean"], "standardize.centered"));
            graph.Message(1, Node("Mul", "standardize.mul", ["standardize.centered", "standardizer.inverse_scale"], "standardized"));
            current = "standardized";
        }
        int layers = model.LayerCount;
        QuantizedNetwork? int8 = model.Int8Source;
        for (int l = 0; l < layers; l++)
        {
            int inputs = model.Sizes[l], outputs = model.Sizes[l + 1];
            bool last = l == layers - 1;
            Activation activation = model.ActivationOf(l);
            string weight = $"layers.{l}.weight", bias = $"layers.{l}.bias";
            string z = last && activation == Activation.Identity ? "output" : $"layers.{l}.z";
            if (int8 is not null && int8.Layers[l].IsInt8)
            {
                AddInt8Layer(graph, l, int8.Layers[l], current, z);
            }
            else
            {
                graph.Message(5, Tensor(weight, model.GetWeights(l), inputs, outputs));
                graph.Message(5, Tensor(bias, model.GetBiases(l), outputs));
                graph.Message(1, Node("Gemm", $"layers.{l}.gemm", [current, weight, bias], z));
            }
            current = z;
            if (activation != Activation.Identity)
            {
                string a = last ? "output" : $"layers.{l}.a";
                ProtobufWriter node = activation switch
                {
                    Activation.Sigmoid => Node("Sigmoid", $"layers.{l}.sigmoid", [z], a),
                    Activation.Tanh => Node("Tanh", $"layers.{l}.tanh", [z], a),
                    Activation.ReLU => Node("Relu", $"layers.{l}.relu", [z], a),
                    Activation.LeakyReLU => Node("LeakyRelu", $"layers.{l}.leaky_relu", [z], a)
                        .Message(5, new ProtobufWriter().String(1, "alpha").Float(2, (float)ActivationFunctions.LeakyReLUSlope).Varint(20, 1)),
                    Activation.Softmax => Node("Softmax", $"layers.{l}.softmax", [z], a)
                        .Message(5, new ProtobufWriter().String(1, "axis").Varint(3, -1).Varint(20, 2)),
                    _ => throw new NotSupportedException($"Activation {activation} has no ONNX mapping."),
                };
                graph.Message(1, node);
                current = a;
            }
        }
        graph.String(2, "fastmlp");
        if (tabularInputs.Count == 0)
        {
            graph.Message(11, ValueInfo("input", model.InputCount));
        }
        foreach (ProtobufWriter input in tabularInputs)
        {
            graph.Message(11, input);
        }
        graph.Message(12, ValueInfo("output", model.OutputCount));

        var modelProto = new ProtobufWriter()
            .Varint(1, IrVersion)
            .String(2, "FastMlp")
            .String(3, typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0")
            .Message(7, graph)
            .Message(8, new ProtobufWriter().String(1, "").Varint(2, Opset));
        if (usesMlDomain)
        {
            modelProto.Message(8, new ProtobufWriter().String(1, MlDomain).Varint(2, MlOpset));
        }
        return modelProto.WrittenSpan.ToArray();
    }

    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
    private static ProtobufWriter Node(string opType, string name, string[] inputs, string output)
    {
        var node = new ProtobufWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }
        return node.String(2, output).String(3, name).String(4, opType);
    }

    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian). Doubles become floats.
    private static ProtobufWriter Tensor<T>(string name, ReadOnlySpan<T> values, params long[] dims) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var floats = new float[values.Length];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = float.CreateTruncating(values[i]);
        }
        byte[] raw = MemoryMarshal.AsBytes(floats.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < raw.Length; i += 4)
            {
                raw.AsSpan(i, 4).Reverse();
            }
        }
        var tensor = new ProtobufWriter();
        foreach (long d in dims)
        {
            tensor.Varint(1, d);
        }
        return tensor.Varint(2, FloatType).String(8, name).Bytes(9, raw);
    }

    // ValueInfoProto{name = 1, type = 2: TypeProto{tensor_type = 1: {elem_type = 1, shape = 2: {dim = 1: {dim_value = 1 | dim_param = 2}}}}}
    private static ProtobufWriter ValueInfo(string name, int width, int elementType = FloatType)
    {
        var shape = new ProtobufWriter()
            .Message(1, new ProtobufWriter().String(2, "batch"))
            .Message(1, new ProtobufWriter().Varint(1, width));
        var tensorType = new ProtobufWriter().Varint(1, elementType).Message(2, shape);
        return new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, tensorType));
    }
}
