using System.Globalization;

namespace FastMlp.Serialization;

/// <summary>
/// Int8 models in the safetensors layout (format version 2, metadata <c>precision</c> = Int8). Per layer:
/// <c>layers.{l}.weight</c> I8 [outputs × inputs] with <c>layers.{l}.weight_scale</c> F32 [outputs]
/// (w = q·scale, symmetric per output), or F32 [outputs × inputs] for a layer kept in float;
/// <c>layers.{l}.bias</c> F32 [outputs]; the standardizer as F32. Every float tensor is F32 whatever
/// the model's T (int8 models compute in float), so one file loads as float or double.
/// </summary>
internal static class QuantizedModelFile<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const int FormatVersion = 2;

    public static void Write(Mlp<T> model, QuantizedNetwork int8, Stream stream)
    {
        var writer = new SafeTensors.Writer();
        ModelFile<T>.AddMetadata(model, writer);
        writer.Metadata["format_version"] = (model.Schema is null ? FormatVersion : ModelFile<T>.SchemaFormatVersion).ToString(CultureInfo.InvariantCulture);
        writer.Metadata["precision"] = nameof(WeightPrecision.Int8);
        for (int l = 0; l < int8.Layers.Count; l++)
        {
            QuantizedLayer layer = int8.Layers[l];
            if (layer.IsInt8)
            {
                writer.Add($"layers.{l}.weight", Transpose<sbyte>(layer.Weights, layer.Inputs, layer.Outputs), layer.Outputs, layer.Inputs);
                writer.Add($"layers.{l}.weight_scale", layer.Scales, layer.Outputs);
            }
            else
            {
                writer.Add($"layers.{l}.weight", Transpose<float>(layer.FloatWeights, layer.Inputs, layer.Outputs), layer.Outputs, layer.Inputs);
            }
            writer.Add($"layers.{l}.bias", layer.Bias, layer.Outputs);
        }
        if (model.Standardizer is { } standardizer)
        {
            writer.Add("standardizer.mean", ToFloat(standardizer.Mean), standardizer.FeatureCount);
            writer.Add("standardizer.inverse_scale", ToFloat(standardizer.InverseScale), standardizer.FeatureCount);
        }
        writer.WriteTo(stream);
    }

    /// <summary>Builds the network an Int8 file describes (metadata already parsed), checking every tensor first.</summary>
    public static Mlp<T> Read(SafeTensors file, string source, int[] sizes, Activation hidden, Activation output)
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        int layerCount = sizes.Length - 1;
        var int8Layer = new bool[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            int inputs = sizes[l], outputs = sizes[l + 1];
            TensorEntry weight = Check(file, $"layers.{l}.weight", [TensorType.I8, TensorType.F32], [outputs, inputs], source, expected);
            int8Layer[l] = weight.Type == TensorType.I8;
            if (int8Layer[l])
            {
                if (inputs > QuantizedLayer.MaxInt8Inputs)
                {
                    throw SafeTensors.Error(source, $"tensor 'layers.{l}.weight' is I8 with {inputs} inputs; int8 layers have at most {QuantizedLayer.MaxInt8Inputs} (int32 sums must stay exact).");
                }
                Check(file, $"layers.{l}.weight_scale", [TensorType.F32], [outputs], source, expected);
            }
            Check(file, $"layers.{l}.bias", [TensorType.F32], [outputs], source, expected);
        }
        bool hasMean = file.Tensors.ContainsKey("standardizer.mean"), hasScale = file.Tensors.ContainsKey("standardizer.inverse_scale");
        if (hasMean != hasScale)
        {
            throw SafeTensors.Error(source, $"the file has standardizer.{(hasMean ? "mean" : "inverse_scale")} without standardizer.{(hasMean ? "inverse_scale" : "mean")}.");
        }
        if (hasMean)
        {
            Check(file, "standardizer.mean", [TensorType.F32], [sizes[0]], source, expected);
            Check(file, "standardizer.inverse_scale", [TensorType.F32], [sizes[0]], source, expected);
        }
        foreach (string name in file.Tensors.Keys)
        {
            if (!expected.Contains(name))
            {
                throw SafeTensors.Error(source, $"tensor '{name}' is not part of a [{string.Join(", ", sizes)}] Int8 FastMlp model.");
            }
        }

        var layers = new QuantizedLayer[layerCount];
        var model = new Mlp<T>(sizes, hidden, output, seed: 0);
        for (int l = 0; l < layerCount; l++)
        {
            int inputs = sizes[l], outputs = sizes[l + 1];
            Activation activation = model.ActivationOf(l);
            float[] bias = ReadFloats(file, $"layers.{l}.bias", outputs, source);
            if (int8Layer[l])
            {
                var transposed = new sbyte[inputs * outputs];
                file.CopyTo<sbyte>(file.Tensors[$"layers.{l}.weight"], transposed);
                int bad = Array.IndexOf(transposed, sbyte.MinValue);
                if (bad >= 0)
                {
                    throw SafeTensors.Error(source, $"tensor 'layers.{l}.weight' element {bad} is −128; symmetric int8 weights lie in [−127, 127].");
                }
                float[] scales = ReadFloats(file, $"layers.{l}.weight_scale", outputs, source);
                int negative = Array.FindIndex(scales, s => s < 0f);
                if (negative >= 0)
                {
                    throw SafeTensors.Error(source, $"tensor 'layers.{l}.weight_scale' element {negative} is {scales[negative]}; scales must be ≥ 0.");
                }
                layers[l] = new QuantizedLayer(inputs, outputs, activation, Transpose<sbyte>(transposed, outputs, inputs), scales, bias);
            }
            else
            {
                float[] transposed = ReadFloats(file, $"layers.{l}.weight", inputs * outputs, source);
                layers[l] = new QuantizedLayer(inputs, outputs, activation, Transpose<float>(transposed, outputs, inputs), bias);
            }
        }
        if (hasMean)
        {
            float[] mean = ReadFloats(file, "standardizer.mean", sizes[0], source);
            float[] inverseScale = ReadFloats(file, "standardizer.inverse_scale", sizes[0], source);
            model.Standardizer = Standardizer<T>.FromInverseScale(mean.Select(T.CreateTruncating).ToArray(), inverseScale.Select(T.CreateTruncating).ToArray());
        }
        model.AttachInt8(layers);
        return model;
    }

    private static TensorEntry Check(SafeTensors file, string name, TensorType[] types, long[] shape, string source, HashSet<string> expected)
    {
        if (!file.Tensors.TryGetValue(name, out TensorEntry entry))
        {
            throw SafeTensors.Error(source, $"tensor '{name}' is missing.");
        }
        if (Array.IndexOf(types, entry.Type) < 0)
        {
            throw SafeTensors.Error(source, $"tensor '{name}' is {entry.Type}, but an Int8 model needs {string.Join(" or ", types)}.");
        }
        if (!entry.Shape.AsSpan().SequenceEqual(shape))
        {
            throw SafeTensors.Error(source, $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but the architecture needs [{string.Join(", ", shape)}].");
        }
        expected.Add(name);
        return entry;
    }

    private static float[] ReadFloats(SafeTensors file, string name, int count, string source)
    {
        var values = new float[count];
        file.CopyTo<float>(file.Tensors[name], values);
        ModelFile<float>.CheckFinite(values, name, source);
        return values;
    }

    private static float[] ToFloat(ReadOnlySpan<T> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = float.CreateTruncating(values[i]);
        }
        return result;
    }

    /// <summary>A row-major [rows × cols] matrix transposed into a new [cols × rows] array.</summary>
    private static TElement[] Transpose<TElement>(ReadOnlySpan<TElement> matrix, int rows, int cols)
    {
        var result = new TElement[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[(c * rows) + r] = matrix[(r * cols) + c];
            }
        }
        return result;
    }
}
