namespace FastMlp;

public sealed partial class Mlp<T>
{
    // The exact int8 layers of a model loaded from an Int8 file, with the (dequantized) parameters
    // they were attached to: once the parameters change (training, SetWeights), they no longer apply.
    private QuantizedNetwork? _int8Source;
    private T[]? _int8Parameters;

    /// <summary>
    /// <see cref="WeightPrecision.Int8"/> for a network loaded from an Int8 model file and not changed since:
    /// it holds the dequantized weights, and <see cref="Freeze()"/> and <see cref="Save(string)"/> use the
    /// file's exact int8 weights. Any change to the parameters makes it <see cref="WeightPrecision.Full"/>.
    /// </summary>
    public WeightPrecision Precision => Int8Source is null ? WeightPrecision.Full : WeightPrecision.Int8;

    /// <summary>The int8 layers this network's parameters still correspond to, or null.</summary>
    internal QuantizedNetwork? Int8Source =>
        _int8Source is not null && Parameters.SequenceEqual(_int8Parameters) ? _int8Source : null;

    /// <summary>Sets the parameters to the dequantized <paramref name="layers"/> and remembers them.</summary>
    internal void AttachInt8(QuantizedLayer[] layers)
    {
        for (int l = 0; l < layers.Length; l++)
        {
            QuantizedLayer layer = layers[l];
            var w = new T[layer.Inputs * layer.Outputs];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = T.CreateTruncating(layer.IsInt8 ? layer.Weights![i] * layer.Scales![i % layer.Outputs] : layer.FloatWeights![i]);
            }
            SetWeights(l, w);
            SetBiases(l, layer.Bias.Select(T.CreateTruncating).ToArray());
        }
        _int8Source = new QuantizedNetwork(layers);
        _int8Parameters = Parameters.ToArray();
    }

    private InferenceModel<T> FreezeAt(int threads) =>
        Int8Source is { } int8 ? InferenceModel<T>.FromNetwork(this, int8, threads) : new InferenceModel<T>(this, threads);
}
