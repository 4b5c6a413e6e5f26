using System.Runtime.InteropServices;

namespace FastMlp.Serialization;

/// <summary>
/// A model with a categorical or missing-indicator <see cref="TabularSchema"/> is exported with its encoding:
/// one graph input per raw column, in schema order and named after it — numeric columns float [batch, 1] with NaN
/// for a missing cell, categorical columns string [batch, 1] — and the encoding as ONNX nodes: Imputer
/// (<c>ai.onnx.ml</c>) for the fill value, IsNaN + Cast for a missing indicator, OneHotEncoder (<c>ai.onnx.ml</c>,
/// unseen strings → zeros) followed by a constant 0/1 MatMul that merges rare categories into "other" and the
/// missing tokens into "missing", then Concat into the feature row the layers take. A schema of numeric columns only
/// keeps the single input "input" [batch × columns] and imputes it with one Imputer (NaN → each column's fill value).
/// </summary>
internal static partial class OnnxExport
{
    private const string MlDomain = "ai.onnx.ml";
    private const long MlOpset = 1;
    private const int StringType = 8; // TensorProto.DataType.STRING
    private const int Int64Type = 7;  // TensorProto.DataType.INT64

    /// <summary>Adds the encoding nodes and the per-column graph inputs; returns the name of the encoded feature row.</summary>
    private static string AddTabularEncoding(ProtobufWriter graph, TabularSchema schema, List<ProtobufWriter> inputs)
    {
        var pieces = new List<string>();
        foreach (TabularColumn column in schema.Columns)
        {
            if (column.Name is "input" or "output" || column.Name.StartsWith("tabular.", StringComparison.Ordinal)
                || column.Name.StartsWith("layers.", StringComparison.Ordinal) || column.Name.StartsWith("standardize", StringComparison.Ordinal))
            {
                throw new NotSupportedException($"ONNX export names each graph input after its column, but column '{column.Name}' clashes with a name of the graph itself; rename the column and train again.");
            }
        }
        for (int c = 0; c < schema.Columns.Count; c++)
        {
            TabularColumn column = schema.Columns[c];
            string input = column.Name, prefix = $"tabular.{c}";
            if (column.Kind == ColumnKind.Numeric)
            {
                inputs.Add(ValueInfo(input, 1, FloatType));
                graph.Message(1, Node("Imputer", $"{prefix}.impute", [input], $"{prefix}.value").String(7, MlDomain)
                    .Message(5, new ProtobufWriter().String(1, "imputed_value_floats").Float(7, (float)column.FillValue).Varint(20, 6))
                    .Message(5, new ProtobufWriter().String(1, "replaced_value_float").Float(2, float.NaN).Varint(20, 1)));
                pieces.Add($"{prefix}.value");
                if (column.HasMissingIndicator)
                {
                    graph.Message(1, Node("IsNaN", $"{prefix}.isnan", [input], $"{prefix}.isnan"));
                    graph.Message(1, Node("Cast", $"{prefix}.cast", [$"{prefix}.isnan"], $"{prefix}.missing")
                        .Message(5, new ProtobufWriter().String(1, "to").Varint(3, FloatType).Varint(20, 2)));
                    pieces.Add($"{prefix}.missing");
                }
                continue;
            }
            inputs.Add(ValueInfo(input, 1, StringType));
            (string[] strings, float[] map) = CategoryMap(schema, column);
            var encoder = Node("OneHotEncoder", $"{prefix}.onehot", [input], $"{prefix}.onehot").String(7, MlDomain)
                .Message(5, new ProtobufWriter().String(1, "zeros").Varint(3, 1).Varint(20, 2));
            var cats = new ProtobufWriter().String(1, "cats_strings");
            foreach (string s in strings)
            {
                cats.String(9, s);
            }
            graph.Message(1, encoder.Message(5, cats.Varint(20, 8)));
            graph.Message(5, Int64Tensor($"{prefix}.shape", [-1, strings.Length]));
            graph.Message(1, Node("Reshape", $"{prefix}.reshape", [$"{prefix}.onehot", $"{prefix}.shape"], $"{prefix}.flat"));
            graph.Message(5, Tensor<float>($"{prefix}.map", map, strings.Length, column.FeatureCount));
            graph.Message(1, Node("MatMul", $"{prefix}.merge", [$"{prefix}.flat", $"{prefix}.map"], $"{prefix}.features"));
            pieces.Add($"{prefix}.features");
        }
        graph.Message(1, Node("Concat", "tabular.concat", [.. pieces], "tabular.features")
            .Message(5, new ProtobufWriter().String(1, "axis").Varint(3, 1).Varint(20, 2)));
        return "tabular.features";
    }

    /// <summary>
    /// A schema of numeric columns without missing indicators: the input stays one float tensor [batch × columns], and an
    /// Imputer replaces NaN (a missing cell) by each column's fill value, as <see cref="TabularSchema.Encode{T}(IReadOnlyList{string}, Span{T})"/> does.
    /// </summary>
    private static string AddNumericImputation(ProtobufWriter graph, TabularSchema schema, string input)
    {
        var fills = new ProtobufWriter().String(1, "imputed_value_floats");
        foreach (TabularColumn column in schema.Columns)
        {
            fills.Float(7, (float)column.FillValue);
        }
        graph.Message(1, Node("Imputer", "tabular.impute", [input], "tabular.features").String(7, MlDomain)
            .Message(5, fills.Varint(20, 6))
            .Message(5, new ProtobufWriter().String(1, "replaced_value_float").Float(2, float.NaN).Varint(20, 1)));
        return "tabular.features";
    }

    /// <summary>
    /// Every string the column recognizes (its categories, its rare categories, and the missing tokens as given and in
    /// upper and lower case) and the 0/1 matrix [strings × column features] from a string's one-hot to the features.
    /// </summary>
    private static (string[] Strings, float[] Map) CategoryMap(TabularSchema schema, TabularColumn column)
    {
        var strings = new List<string>();
        var target = new List<int>(); // feature within the column, −1: none (all zeros)
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string s, int feature)
        {
            if (seen.Add(s))
            {
                strings.Add(s);
                target.Add(feature);
            }
        }
        for (int i = 0; i < column.Categories.Count; i++)
        {
            Add(column.Categories[i], i);
        }
        foreach (string rare in column.RareCategories)
        {
            Add(rare, column.Categories.Count);
        }
        int missing = column.HasMissingCategory ? column.FeatureCount - 1 : -1;
        foreach (string token in schema.MissingTokens)
        {
            string t = token.Trim();
            Add(t, missing);
            Add(t.ToUpperInvariant(), missing);
            Add(t.ToLowerInvariant(), missing);
        }
        var map = new float[strings.Count * column.FeatureCount];
        for (int s = 0; s < strings.Count; s++)
        {
            if (target[s] >= 0)
            {
                map[s * column.FeatureCount + target[s]] = 1;
            }
        }
        return ([.. strings], map);
    }

    private static ProtobufWriter Int64Tensor(string name, long[] values)
    {
        byte[] raw = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < raw.Length; i += 8)
            {
                raw.AsSpan(i, 8).Reverse();
            }
        }
        return new ProtobufWriter().Varint(1, values.Length).Varint(2, Int64Type).String(8, name).Bytes(9, raw);
    }
}
