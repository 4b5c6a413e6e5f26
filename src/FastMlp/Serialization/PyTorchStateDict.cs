using System.Buffers.Binary;
using System.Globalization;

namespace FastMlp.Serialization;

/// <summary>
/// Reads the <c>state_dict</c> of a PyTorch <c>nn.Sequential</c> of <c>nn.Linear</c> layers saved in the
/// safetensors layout (<c>safetensors.torch.save_file(model.state_dict(), path)</c>). Its tensors are named by
/// the module's index in the Sequential: <c>0.weight</c> [out_features × in_features], <c>0.bias</c>
/// [out_features], then e.g. <c>2.weight</c> when a ReLU (a module without parameters) sits at index 1. Layers
/// are taken in increasing index order and must chain (each one's in_features is the previous one's
/// out_features). Every other tensor is refused rather than skipped: a BatchNorm's running statistics, a
/// LayerNorm's scale or a bias-less Linear change what the network computes, so dropping them would give a model
/// that loads but predicts something else. The metadata PyTorch writes (<c>format: pt</c>) is not used.
/// </summary>
internal static class PyTorchStateDict<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Layers accepted (the model file's own limit).</summary>
    private const int MaxLayers = 4096;

    private const string Example = "an nn.Sequential of Linear layers saved with safetensors.torch.save_file(model.state_dict(), path)";

    public static Mlp<T> Import(string path, Activation hidden, Activation output)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(SafeTensors.Read(stream, path), hidden, output, path);
    }

    public static Mlp<T> Import(Stream stream, Activation hidden, Activation output, string source) =>
        Read(SafeTensors.Read(stream, source), hidden, output, source);

    private static Mlp<T> Read(SafeTensors file, Activation hidden, Activation output, string source)
    {
        SortedDictionary<int, (TensorEntry? Weight, TensorEntry? Bias)> layers = Layers(file, source);
        var sizes = new List<int>(layers.Count + 1);
        var weights = new List<(TensorEntry Weight, TensorEntry Bias)>(layers.Count);
        TensorEntry? previous = null;
        foreach ((int index, (TensorEntry? weight, TensorEntry? bias)) in layers)
        {
            TensorEntry w = weight ?? throw SafeTensors.Error(source, $"'{index}.bias' has no '{index}.weight' beside it (a Linear layer has both).");
            TensorEntry b = bias ?? throw SafeTensors.Error(source,
                $"'{w.Name}' has no '{index}.bias' beside it: FastMlp layers always add a bias, so nn.Linear(..., bias=False) cannot be imported.");
            if (w.Shape.Length != 2 || w.Shape[0] is < 1 or > int.MaxValue || w.Shape[1] is < 1 or > int.MaxValue)
            {
                throw SafeTensors.Error(source, $"'{w.Name}' has shape {Shape(w)}; a Linear weight is 2-D [out_features, in_features], each at least 1.");
            }
            long outputs = w.Shape[0], inputs = w.Shape[1];
            if (b.Shape.Length != 1 || b.Shape[0] != outputs)
            {
                throw SafeTensors.Error(source, $"'{b.Name}' has shape {Shape(b)}, but '{w.Name}' {Shape(w)} needs a bias of shape [{outputs}].");
            }
            if (previous is { } p && p.Shape[0] != inputs)
            {
                throw SafeTensors.Error(source, $"the layers do not chain: '{w.Name}' has shape {Shape(w)} and takes {inputs} inputs, " +
                                                $"but the layer before it, '{p.Name}' {Shape(p)}, gives {p.Shape[0]} outputs.");
            }
            if (previous is null)
            {
                sizes.Add((int)inputs);
            }
            sizes.Add((int)outputs);
            weights.Add((w, b));
            previous = w;
        }

        var model = new Mlp<T>(sizes.ToArray(), hidden, output, seed: 0);
        for (int l = 0; l < weights.Count; l++)
        {
            (TensorEntry w, TensorEntry b) = weights[l];
            // PyTorch stores W as [out × in]; FastMlp multiplies X[batch × in] by W[in × out].
            model.SetWeights(l, ModelFile<T>.Transpose(Values(file, w, source), sizes[l + 1], sizes[l]));
            model.SetBiases(l, Values(file, b, source));
        }
        return model;
    }

    /// <summary>Groups the tensors by layer index (sorted), refusing any tensor that is not a Linear layer's.</summary>
    private static SortedDictionary<int, (TensorEntry? Weight, TensorEntry? Bias)> Layers(SafeTensors file, string source)
    {
        var layers = new SortedDictionary<int, (TensorEntry? Weight, TensorEntry? Bias)>();
        foreach (TensorEntry t in file.Tensors.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!TryParseName(t.Name, out int index, out bool isWeight))
            {
                throw SafeTensors.Error(source, $"tensor '{t.Name}' is not a Linear layer's 'N.weight' or 'N.bias'; only {Example} can be imported " +
                                                "(modules with other parameters or buffers, such as BatchNorm or LayerNorm, cannot).");
            }
            if (t.Type is not (TensorType.F32 or TensorType.F16 or TensorType.BF16 or TensorType.F64))
            {
                throw SafeTensors.Error(source, $"tensor '{t.Name}' is {t.Type}; Linear weights and biases are imported from F32, F16, BF16 or F64.");
            }
            layers.TryGetValue(index, out (TensorEntry? Weight, TensorEntry? Bias) layer);
            layers[index] = isWeight ? (t, layer.Bias) : (layer.Weight, t);
        }
        if (layers.Count == 0)
        {
            throw SafeTensors.Error(source, $"the file holds no Linear layer ('N.weight' and 'N.bias' tensors); expected {Example}.");
        }
        if (layers.Count > MaxLayers)
        {
            throw SafeTensors.Error(source, $"the file holds {layers.Count} layers; FastMlp imports at most {MaxLayers}.");
        }
        return layers;
    }

    /// <summary>"12.weight" → (12, true); the index is a module position as PyTorch writes it (no sign, no leading zero).</summary>
    private static bool TryParseName(string name, out int index, out bool isWeight)
    {
        index = 0;
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string suffix = dot < 0 ? "" : name[(dot + 1)..];
        isWeight = suffix == "weight";
        ReadOnlySpan<char> digits = dot < 0 ? name : name.AsSpan(0, dot);
        return (isWeight || suffix == "bias")
               && digits.Length is > 0 and <= 9
               && (digits.Length == 1 || digits[0] != '0')
               && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <summary>The tensor's elements converted to <typeparamref name="T"/> (round to nearest), each checked finite.</summary>
    private static T[] Values(SafeTensors file, TensorEntry entry, string source)
    {
        ReadOnlySpan<byte> bytes = file.BytesOf(entry);
        int size = SafeTensors.SizeOf(entry.Type);
        var values = new T[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> element = bytes.Slice(i * size, size);
            double value = entry.Type switch
            {
                TensorType.F32 => BinaryPrimitives.ReadSingleLittleEndian(element),
                TensorType.F16 => (double)BinaryPrimitives.ReadHalfLittleEndian(element),
                // bfloat16 is the upper 16 bits of an IEEE single.
                TensorType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(element) << 16),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(element),
            };
            values[i] = T.CreateTruncating(value);
            if (!T.IsFinite(values[i]))
            {
                string why = double.IsFinite(value) ? $" (outside {typeof(T).Name}'s range)" : "";
                throw SafeTensors.Error(source, $"tensor '{entry.Name}' element {i} is {value.ToString(CultureInfo.InvariantCulture)}{why}; weights and biases must be finite.");
            }
        }
        return values;
    }

    private static string Shape(TensorEntry t) => $"[{string.Join(", ", t.Shape)}]";
}
