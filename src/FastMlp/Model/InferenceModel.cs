using FastMlp.Numerics;

namespace FastMlp;

/// <summary>
/// An immutable snapshot of an <see cref="Mlp{T}"/> for prediction: thread-safe (each thread uses its own
/// scratch, grown on first use) and allocation-free after a thread's first call with a given batch size.
/// The model's standardizer, if any, is applied inside <see cref="Predict"/>.
/// </summary>
public sealed partial class InferenceModel<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static T[]? t_scratch;

    private readonly Mlp<T> _network;
    private readonly WorkerPool? _pool;

    internal InferenceModel(Mlp<T> model, int threads)
    {
        Guard.AtLeast(threads, 1, "Threads");
        // A private copy: later training of the source model does not change this snapshot.
        _network = model.Clone();
        _pool = threads > 1 ? new WorkerPool(threads) : null;
    }

    /// <summary>Threads the batched products may use (1 unless frozen with <see cref="Mlp{T}.Freeze(int)"/>).</summary>
    public int Threads => _pool?.Threads ?? 1;

    /// <summary>Stops the worker threads of a multi-threaded snapshot (a no-op for one thread).</summary>
    public void Dispose() => _pool?.Dispose();

    /// <summary>Features per input row.</summary>
    public int InputCount => _network.InputCount;

    /// <summary>Values per output row.</summary>
    public int OutputCount => _network.OutputCount;

    /// <summary>[inputs, hidden…, outputs].</summary>
    public ReadOnlySpan<int> LayerSizes => _network.LayerSizes;

    /// <summary>The input standardization applied before the first layer (null: none).</summary>
    public Standardizer<T>? Standardizer => _network.Standardizer;

    /// <summary>Computes outputs [batchSize × outputs] for inputs [batchSize × inputs] (raw features).</summary>
    /// <remarks>Allocation-free after the first call on a thread (a per-thread scratch buffer grows once); thread-safe.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> or <paramref name="outputs"/> is not exactly batchSize rows long.</exception>
    public void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize = 1) => PredictOn(null, inputs, outputs, batchSize);

    /// <summary>Predict on an explicit int8 path (null: the dispatched one); ignored by full-precision models.</summary>
    internal void PredictOn(Int8Path? int8Path, ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize)
    {
        Mlp<T> network = _network;
        Guard.AtLeast(batchSize, 1, "Batch size");
        if (inputs.Length != (long)batchSize * network.InputCount)
        {
            ThrowHelper.Argument(nameof(inputs), $"inputs has {inputs.Length} values, but {batchSize} rows × {network.InputCount} inputs need {(long)batchSize * network.InputCount}.");
        }
        if (outputs.Length != (long)batchSize * network.OutputCount)
        {
            ThrowHelper.Argument(nameof(outputs), $"outputs has {outputs.Length} values, but {batchSize} rows × {network.OutputCount} outputs need {(long)batchSize * network.OutputCount}.");
        }
        int width = _int8 is null ? network.ActivationWidth : 0;
        Standardizer<T>? standardizer = network.Standardizer;
        long need = (long)batchSize * width + (standardizer is null ? 0 : inputs.Length);
        T[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < need)
        {
            t_scratch = scratch = new T[Math.Max(need, 1024)];
        }
        Span<T> activations = scratch.AsSpan(0, batchSize * width);
        ReadOnlySpan<T> x = inputs;
        if (standardizer is not null)
        {
            Span<T> staged = scratch.AsSpan(batchSize * width, inputs.Length);
            standardizer.Apply(inputs, staged, batchSize);
            x = staged;
        }
        if (_int8 is not null)
        {
            PredictInt8(int8Path ?? Int8Dispatch.Path, x, outputs, batchSize);
            return;
        }
        network.Forward(x, batchSize, activations, default, _pool);
        activations.Slice(batchSize * network.ActivationOffset(network.LayerCount - 1), outputs.Length).CopyTo(outputs);
    }
}
