using FastMlp.Numerics;

namespace FastMlp;

public sealed partial class InferenceModel<T>
{
    [ThreadStatic]
    private static float[]? t_int8Staging;

    private readonly QuantizedNetwork? _int8;

    private InferenceModel(Mlp<T> network, int threads, QuantizedNetwork int8)
    {
        _network = network;
        _pool = threads > 1 ? new WorkerPool(threads) : null;
        _int8 = int8;
    }

    /// <summary>How the weights are stored and multiplied.</summary>
    public WeightPrecision Precision => _int8 is null ? WeightPrecision.Full : WeightPrecision.Int8;

    /// <summary>Per layer, how its weights are stored: in an Int8 model, layers with fewer than 16 outputs stay Full.</summary>
    public IReadOnlyList<WeightPrecision> LayerPrecisions =>
        _int8 is null
            ? Enumerable.Repeat(WeightPrecision.Full, _network.LayerCount).ToArray()
            : _int8.Layers.Select(l => l.IsInt8 ? WeightPrecision.Int8 : WeightPrecision.Full).ToArray();

    /// <summary>The quantized layers (null for a full-precision model).</summary>
    internal QuantizedNetwork? Int8Network => _int8;

    /// <summary>The float network behind this model (for an int8 model: its weights dequantized).</summary>
    internal Mlp<T> Network => _network;

    /// <summary>
    /// A new immutable model with weights in <paramref name="precision"/>, same threads. <see cref="WeightPrecision.Int8"/>:
    /// weights symmetric per output column, activations quantized per row at run time, exact integer sums,
    /// one rescale + bias + activation pass; layers with fewer than 16 outputs stay in float.
    /// Quantizing is one way: an int8 model cannot return to <see cref="WeightPrecision.Full"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is already Int8 and <see cref="WeightPrecision.Full"/> was asked for (quantizing is one way).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is not a <see cref="WeightPrecision"/> value.</exception>
    public InferenceModel<T> Quantize(WeightPrecision precision)
    {
        Guard.Defined(precision);
        if (precision == WeightPrecision.Int8)
        {
            return _int8 is not null ? FromNetwork(_network, _int8, Threads) : FromLayers(_network, QuantizeLayers(_network), Threads);
        }
        if (_int8 is not null)
        {
            ThrowHelper.InvalidOperation("This model is already Int8; quantization is one way (quantize the full-precision model again instead).");
        }
        return new InferenceModel<T>(_network, Threads);
    }

    /// <summary>An int8 model from quantized layers; <paramref name="template"/> gives names, activations and standardizer.</summary>
    internal static InferenceModel<T> FromLayers(Mlp<T> template, QuantizedLayer[] layers, int threads)
    {
        // The private float copy holds the dequantized weights, so its description and Save stay consistent.
        Mlp<T> network = template.Clone();
        if (typeof(T) != typeof(float) && network.Standardizer is { } standardizer)
        {
            // Int8 files store the standardizer as float: round it now so a saved model predicts the same after loading.
            network.Standardizer = Standardizer<T>.FromInverseScale(
                standardizer.Mean.ToArray().Select(v => T.CreateTruncating(float.CreateTruncating(v))).ToArray(),
                standardizer.InverseScale.ToArray().Select(v => T.CreateTruncating(float.CreateTruncating(v))).ToArray());
        }
        network.AttachInt8(layers);
        return new InferenceModel<T>(network, threads, network.Int8Source!);
    }

    /// <summary>The int8 model of a network loaded from an Int8 file (see <see cref="Mlp{T}.Precision"/>).</summary>
    internal static InferenceModel<T> FromNetwork(Mlp<T> source, QuantizedNetwork int8, int threads)
    {
        Guard.AtLeast(threads, 1, "Threads");
        Mlp<T> network = source.Clone();
        network.AttachInt8([.. int8.Layers]);
        return new InferenceModel<T>(network, threads, network.Int8Source!);
    }

    /// <summary>Int8 with every layer quantized, narrow ones too (benchmarks measure the float/int8 choice with it).</summary>
    internal InferenceModel<T> QuantizeAllLayers() => FromLayers(_network, QuantizeLayers(_network, minOutputs: 1), Threads);

    private static QuantizedLayer[] QuantizeLayers(Mlp<T> network, int minOutputs = QuantizedLayer.MinInt8Outputs)
    {
        var layers = new QuantizedLayer[network.LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            int inputs = network.Sizes[l], outputs = network.Sizes[l + 1];
            float[] w = ToFloat(network.GetWeights(l));
            float[] b = ToFloat(network.GetBiases(l));
            Activation activation = network.ActivationOf(l);
            layers[l] = outputs >= minOutputs && inputs <= QuantizedLayer.MaxInt8Inputs
                ? QuantizedLayer.Quantize(w, inputs, outputs, activation, b)
                : new QuantizedLayer(inputs, outputs, activation, w, b);
        }
        return layers;
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

    /// <summary>Predict for an int8 model (arguments already checked); inputs already standardized.</summary>
    private void PredictInt8(Int8Path path, ReadOnlySpan<T> x, Span<T> outputs, int batchSize)
    {
        QuantizedNetwork int8 = _int8!;
        if (typeof(T) == typeof(float))
        {
            int8.Forward(path, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x), batchSize,
                         System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(outputs), _pool);
            return;
        }
        // Double models compute in float (int8 sums are exact; the rescale is float either way).
        int need = x.Length + outputs.Length;
        float[] staging = t_int8Staging is { } s && s.Length >= need ? s : (t_int8Staging = new float[Math.Max(need, 1024)]);
        Span<float> fx = staging.AsSpan(0, x.Length), fy = staging.AsSpan(x.Length, outputs.Length);
        for (int i = 0; i < x.Length; i++)
        {
            fx[i] = float.CreateTruncating(x[i]);
        }
        int8.Forward(path, fx, batchSize, fy, _pool);
        for (int i = 0; i < fy.Length; i++)
        {
            outputs[i] = T.CreateTruncating(fy[i]);
        }
    }
}
