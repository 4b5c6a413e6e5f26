using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using FastMlp.Numerics;

namespace FastMlp;

/// <summary>
/// A multilayer perceptron: layers of a = act(x·W + b), with W stored row-major [inputs × outputs]
/// so a batch X[batch × inputs] multiplies it directly. All parameters live in one contiguous array,
/// layer after layer (W₀, b₀, W₁, b₁, …), which lets optimizers update them in one pass.
/// Hidden layers share one activation; the last layer has its own. Not thread-safe while training;
/// <see cref="Freeze()"/> gives an immutable, thread-safe copy for inference.
/// </summary>
public sealed partial class Mlp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _sizes;
    private readonly int[] _weightOffsets;
    private readonly int[] _activationOffsets;
    // Parameters live in a pinned array whose used part starts on a 64-byte boundary: the GEMM
    // streams weights in whole zmm loads, and a misaligned base makes every load straddle two lines.
    private readonly T[] _storage;
    private readonly int _base;
    private readonly int _count;

    /// <summary>Builds a network with <see cref="Initializer.Default"/> weights drawn from <paramref name="seed"/>.</summary>
    /// <param name="layerSizes">[inputs, hidden…, outputs]: at least two sizes, each ≥ 1.</param>
    /// <exception cref="ArgumentException">Fewer than two layer sizes, or more parameters than an array can hold.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A layer size is below 1, or an activation is not defined.</exception>
    public Mlp(ReadOnlySpan<int> layerSizes, Activation hidden, Activation output, int seed)
        : this(layerSizes, hidden, output, seed, Initializer.Default)
    {
    }

    /// <summary>Builds a network whose weights are drawn by <paramref name="initializer"/> from <paramref name="seed"/> (biases zero).</summary>
    public Mlp(ReadOnlySpan<int> layerSizes, Activation hidden, Activation output, int seed, Initializer initializer)
    {
        Numerics.Gemm.CheckType<T>();
        long parameters = CountParameters(layerSizes);
        CheckMemory(layerSizes, parameters);
        Guard.Defined(hidden);
        Guard.Defined(output);
        Guard.Defined(initializer);
        _sizes = layerSizes.ToArray();
        HiddenActivation = hidden;
        OutputActivation = output;
        int layers = _sizes.Length - 1;
        _weightOffsets = new int[layers + 1];
        _activationOffsets = new int[layers + 1];
        long offset = 0, activationOffset = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffsets[l] = (int)offset;
            _activationOffsets[l] = (int)activationOffset;
            offset += (long)_sizes[l] * _sizes[l + 1] + _sizes[l + 1];
            activationOffset += _sizes[l + 1];
        }
        _weightOffsets[layers] = (int)offset;
        _activationOffsets[layers] = (int)activationOffset;
        (_storage, _base) = AllocateAligned((int)offset);
        _count = (int)offset;
        Initialize(seed, initializer);
    }

    private Mlp(Mlp<T> source)
    {
        _sizes = source._sizes;
        _weightOffsets = source._weightOffsets;
        _activationOffsets = source._activationOffsets;
        (_storage, _base) = AllocateAligned(source._count);
        _count = source._count;
        source.Parameters.CopyTo(Parameters);
        HiddenActivation = source.HiddenActivation;
        OutputActivation = source.OutputActivation;
        Standardizer = source.Standardizer;
        CopyDescription(source);
    }

    /// <summary>Number of weight layers (layer sizes − 1).</summary>
    public int LayerCount => _sizes.Length - 1;

    /// <summary>[inputs, hidden…, outputs].</summary>
    public ReadOnlySpan<int> LayerSizes => _sizes;

    /// <summary>Features per input row.</summary>
    public int InputCount => _sizes[0];

    /// <summary>Values per output row.</summary>
    public int OutputCount => _sizes[^1];

    /// <summary>Activation of every hidden layer.</summary>
    public Activation HiddenActivation { get; }

    /// <summary>Activation of the output layer.</summary>
    public Activation OutputActivation { get; }

    /// <summary>Weights and biases in total.</summary>
    public int ParameterCount => _count;

    /// <summary>
    /// Input standardization applied before the first layer by training, evaluation and inference
    /// (fitted on the training data only; see <see cref="TrainerOptions{T}.Standardize"/>). Null: none.
    /// </summary>
    public Standardizer<T>? Standardizer
    {
        get;
        set
        {
            if (value is not null && value.FeatureCount != InputCount)
            {
                ThrowHelper.Argument(nameof(value), $"The standardizer has {value.FeatureCount} features but the network has {InputCount} inputs.");
            }
            field = value;
        }
    }

    /// <summary>The activation of layer <paramref name="layer"/> (0-based).</summary>
    public Activation ActivationOf(int layer)
    {
        CheckLayer(layer);
        return layer == LayerCount - 1 ? OutputActivation : HiddenActivation;
    }

    /// <summary>Layer <paramref name="layer"/>'s weights, row-major [inputs × outputs] (a read-only view, not a copy).</summary>
    public ReadOnlySpan<T> GetWeights(int layer)
    {
        CheckLayer(layer);
        return WeightSpan(layer);
    }

    /// <summary>Replaces layer <paramref name="layer"/>'s weights, row-major [inputs × outputs].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer of the network.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is not inputs × outputs long.</exception>
    public void SetWeights(int layer, ReadOnlySpan<T> weights)
    {
        CheckLayer(layer);
        Span<T> target = WeightSpan(layer);
        if (weights.Length != target.Length)
        {
            ThrowHelper.Argument(nameof(weights), $"Layer {layer} has {_sizes[layer]}×{_sizes[layer + 1]} = {target.Length} weights, but {weights.Length} were given.");
        }
        Guard.Finite(weights, _sizes[layer + 1]);
        weights.CopyTo(target);
    }

    /// <summary>Layer <paramref name="layer"/>'s biases (a read-only view, not a copy).</summary>
    public ReadOnlySpan<T> GetBiases(int layer)
    {
        CheckLayer(layer);
        return BiasSpan(layer);
    }

    /// <summary>Replaces layer <paramref name="layer"/>'s biases.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer of the network.</exception>
    /// <exception cref="ArgumentException"><paramref name="biases"/> is not outputs long.</exception>
    public void SetBiases(int layer, ReadOnlySpan<T> biases)
    {
        CheckLayer(layer);
        Span<T> target = BiasSpan(layer);
        if (biases.Length != target.Length)
        {
            ThrowHelper.Argument(nameof(biases), $"Layer {layer} has {target.Length} biases, but {biases.Length} were given.");
        }
        Guard.Finite(biases, biases.Length);
        biases.CopyTo(target);
    }

    /// <summary>A deep copy (parameters copied, standardizer shared: it is immutable).</summary>
    public Mlp<T> Clone() => new(this);

    /// <summary>An immutable, thread-safe snapshot for allocation-free inference.</summary>
    public InferenceModel<T> Freeze() => FreezeAt(1);

    /// <summary>
    /// An inference snapshot whose batched products split over <paramref name="threads"/> threads of
    /// its own persistent pool (bit-identical to one thread); dispose it to stop the threads.
    /// </summary>
    public InferenceModel<T> Freeze(int threads) => FreezeAt(threads);

    /// <summary>All parameters, layer after layer: W₀ [in×out], b₀ [out], W₁, b₁, …</summary>
    internal Span<T> Parameters => _storage.AsSpan(_base, _count);

    private static unsafe (T[] Storage, int Base) AllocateAligned(int count)
    {
        int slack = 64 / sizeof(T);
        T[] storage = GC.AllocateArray<T>(count + slack, pinned: true);
        fixed (T* p = storage)
        {
            int misalignment = (int)((nuint)p % 64) / sizeof(T);
            return (storage, misalignment == 0 ? 0 : slack - misalignment);
        }
    }

    internal int[] Sizes => _sizes;

    /// <summary>Offset of layer l's weights in <see cref="Parameters"/>; its biases follow them.</summary>
    internal int WeightOffset(int layer) => _weightOffsets[layer];

    /// <summary>Offset (per batch row) of layer l's activations in a packed activation block; index LayerCount = total width.</summary>
    internal int ActivationOffset(int layer) => _activationOffsets[layer];

    /// <summary>Σ layer output widths: activations per batch row.</summary>
    internal int ActivationWidth => _activationOffsets[^1];

    private Span<T> WeightSpan(int layer) => Parameters.Slice(_weightOffsets[layer], _sizes[layer] * _sizes[layer + 1]);

    private Span<T> BiasSpan(int layer) => Parameters.Slice(_weightOffsets[layer] + _sizes[layer] * _sizes[layer + 1], _sizes[layer + 1]);

    /// <summary>
    /// Forward pass for a batch. Layer l's activations are written to
    /// activations[batch·offset(l) .. + batch·out(l)] (each a [batch × out(l)] block), so the block
    /// for any batch size is contiguous. The output layer's pre-activations go to <paramref name="logits"/> unless it is empty.
    /// With a <paramref name="dropoutMask"/> (0 or 1/(1 − p) per hidden unit, packed like the hidden activations) the next
    /// layer reads the hidden activations times the mask, written to <paramref name="dropped"/> (same packing); the
    /// activations themselves stay unmasked for the backward pass.
    /// </summary>
    internal void Forward(ReadOnlySpan<T> x, int batch, Span<T> activations, Span<T> logits, WorkerPool? pool = null,
                          ReadOnlySpan<T> dropoutMask = default, Span<T> dropped = default)
    {
        int layers = LayerCount;
        ReadOnlySpan<T> input = x;
        for (int l = 0; l < layers; l++)
        {
            int inputs = _sizes[l], outputs = _sizes[l + 1];
            Span<T> a = activations.Slice(batch * _activationOffsets[l], batch * outputs);
            ReadOnlySpan<T> w = Parameters.Slice(_weightOffsets[l], inputs * outputs);
            ReadOnlySpan<T> b = Parameters.Slice(_weightOffsets[l] + inputs * outputs, outputs);
            // Z[batch×out] = X[batch×in] · W[in×out]
            bool last = l == layers - 1;
            if (LayerKernels<T>.IsTiny(batch, outputs, inputs))
            {
                // Z = X·W + b in one scalar pass, then A = act(Z)
                LayerKernels<T>.AffineTiny(input, batch, inputs, w, b, outputs, a);
                LayerKernels<T>.BiasActivation(a, batch, outputs, default, last ? OutputActivation : HiddenActivation, last ? logits : default);
            }
            else
            {
                LayerKernels<T>.Multiply(pool, false, false, batch, outputs, inputs, input, inputs, w, outputs, a, outputs);
                // A = act(Z + b)
                LayerKernels<T>.BiasActivation(a, batch, outputs, b, last ? OutputActivation : HiddenActivation, last ? logits : default);
            }
            input = a;
            if (!last && !dropoutMask.IsEmpty)
            {
                Span<T> masked = dropped.Slice(batch * _activationOffsets[l], batch * outputs);
                TensorPrimitives.Multiply(a, dropoutMask.Slice(batch * _activationOffsets[l], batch * outputs), masked);
                input = masked;
            }
        }
    }

    /// <summary>
    /// Backward pass: <paramref name="deltas"/> holds dZ of the output layer (same packing as activations);
    /// fills <paramref name="gradients"/> (same layout as <see cref="Parameters"/>) going through layers in reverse:
    /// dW = Xᵀ·dZ, db = Σ dZ, dX = dZ·Wᵀ, dZ(prev) = dX ⊙ act′ — with dropout dZ(prev) = dX ⊙ mask ⊙ act′ and X the
    /// masked activations <paramref name="dropped"/> of the forward pass.
    /// </summary>
    internal void Backward(ReadOnlySpan<T> x, int batch, ReadOnlySpan<T> activations, Span<T> deltas, Span<T> gradients, WorkerPool? pool = null,
                           ReadOnlySpan<T> dropoutMask = default, ReadOnlySpan<T> dropped = default)
    {
        bool dropout = !dropoutMask.IsEmpty;
        for (int l = LayerCount - 1; l >= 0; l--)
        {
            int inputs = _sizes[l], outputs = _sizes[l + 1];
            ReadOnlySpan<T> dz = deltas.Slice(batch * _activationOffsets[l], batch * outputs);
            ReadOnlySpan<T> input = l == 0 ? x : (dropout ? dropped : activations).Slice(batch * _activationOffsets[l - 1], batch * inputs);
            Span<T> dw = gradients.Slice(_weightOffsets[l], inputs * outputs);
            Span<T> db = gradients.Slice(_weightOffsets[l] + inputs * outputs, outputs);
            // dW[in×out] = Xᵀ[in×batch] · dZ[batch×out]
            LayerKernels<T>.Multiply(pool, true, false, inputs, outputs, batch, input, inputs, dz, outputs, dw, outputs);
            // db[out] = Σ_rows dZ
            LayerKernels<T>.ColumnSums(dz, batch, outputs, db);
            if (l > 0)
            {
                // dX[batch×in] = dZ[batch×out] · Wᵀ[out×in]
                Span<T> dx = deltas.Slice(batch * _activationOffsets[l - 1], batch * inputs);
                ReadOnlySpan<T> w = Parameters.Slice(_weightOffsets[l], inputs * outputs);
                LayerKernels<T>.Multiply(pool, false, true, batch, inputs, outputs, dz, outputs, w, outputs, dx, inputs);
                if (dropout)
                {
                    TensorPrimitives.Multiply(dx, dropoutMask.Slice(batch * _activationOffsets[l - 1], batch * inputs), dx);
                }
                LayerKernels<T>.ActivationBackward(dx, activations.Slice(batch * _activationOffsets[l - 1], batch * inputs), batch, inputs, HiddenActivation);
            }
        }
    }

    private void Initialize(int seed, Initializer initializer)
    {
        var random = new Random(seed);
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            Initializer kind = initializer;
            if (kind == Initializer.Default)
            {
                Activation act = ActivationOf(l);
                kind = act is Activation.ReLU or Activation.LeakyReLU ? Initializer.HeUniform : Initializer.GlorotUniform;
            }
            Span<T> w = WeightSpan(l);
            for (int i = 0; i < w.Length; i++)
            {
                double value = kind switch
                {
                    Initializer.GlorotUniform => Uniform(random, Math.Sqrt(6.0 / (fanIn + fanOut))),
                    Initializer.GlorotNormal => Normal(random) * Math.Sqrt(2.0 / (fanIn + fanOut)),
                    Initializer.HeUniform => Uniform(random, Math.Sqrt(6.0 / fanIn)),
                    _ => Normal(random) * Math.Sqrt(2.0 / fanIn),
                };
                w[i] = T.CreateTruncating(value);
            }
        }
    }

    private static double Uniform(Random random, double limit) => (2 * random.NextDouble() - 1) * limit;

    // Box–Muller; one value per call keeps the stream simple and reproducible.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckLayer(int layer) => Guard.Between(layer, 0, LayerCount - 1, "Layer");
}
