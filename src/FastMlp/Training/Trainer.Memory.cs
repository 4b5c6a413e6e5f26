using System.Globalization;

namespace FastMlp;

public sealed partial class Trainer<T>
{
    /// <summary>Upper bound of one thread's GEMM packing buffer (KC × NC elements).</summary>
    private const long WorkspaceElements = 384 * 512;

    /// <summary>
    /// Bytes needed to train a network of <paramref name="layerSizes"/> with <paramref name="options"/>: the parameters
    /// (<see cref="Mlp{T}.EstimateMemoryBytes"/>) plus the trainer's arena (gradients, optimizer state, weight
    /// snapshots, activations and deltas of batches of up to max(BatchSize, 256) rows, the shuffle order of
    /// <paramref name="rows"/> rows; the arena is laid out once in the constructor and once more when Fit sees the data,
    /// and the pool keeps both) and the GEMM
    /// packing buffers of each thread. The data set itself is not counted. Compare with <see cref="SystemMemory.AvailableBytes"/>
    /// before building anything; the constructors of <see cref="Mlp{T}"/> and <see cref="Trainer{T}"/> refuse
    /// (<see cref="InsufficientMemoryException"/>) when their share exceeds it.
    /// </summary>
    /// <param name="rows">Training rows, if known (0: no shuffle order counted). A <see cref="Step"/> with a larger batch grows the arena beyond this.</param>
    public static unsafe long EstimateMemoryBytes(ReadOnlySpan<int> layerSizes, TrainerOptions<T> options, int rows = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Optimizer, "options.Optimizer");
        long parameters = Mlp<T>.CountParameters(layerSizes);
        Guard.AtLeast(rows, 0, "Rows");
        Guard.AtLeast(options.BatchSize, 1, "Batch size");
        return (parameters * sizeof(T)) + 64 + TrainingBytes(layerSizes, parameters, options, rows);
    }

    /// <summary>What the trainer adds to the model: both arena layouts and the per-thread GEMM buffers.</summary>
    private static unsafe long TrainingBytes(ReadOnlySpan<int> sizes, long parameters, TrainerOptions<T> options, int rows)
    {
        int batch = options.BatchSize;
        long constructed = ArenaBytes(sizes, parameters, options, Math.Min(batch, 256), 0);
        long fitted = ArenaBytes(sizes, parameters, options, Math.Max(batch, 256), rows);
        return constructed + fitted + (Math.Max(options.Threads, 1) * WorkspaceElements * sizeof(T));
    }

    /// <summary>Bytes of the arena <see cref="EnsureCapacity"/> lays out for <paramref name="batch"/> and <paramref name="rows"/> (same buffers, same 64-byte rounding).</summary>
    internal static unsafe long ArenaBytes(ReadOnlySpan<int> sizes, long parameters, TrainerOptions<T> options, int batch, int rows)
    {
        long width = 0;
        for (int i = 1; i < sizes.Length; i++)
        {
            width += sizes[i];
        }
        long inputs = sizes[0], outputs = sizes[^1];
        int stateVectors = options.Optimizer.StateVectors;
        long element = sizeof(T);
        long[] buffers =
        [
            batch * width * element, batch * outputs * element, batch * width * element, batch * inputs * element, batch * outputs * element, batch * element,
            batch * (options.Dropout > 0 ? width - outputs : 0) * element, batch * (options.Dropout > 0 ? width - outputs : 0) * element,
            parameters * element, (stateVectors >= 1 ? parameters : 0) * element, (stateVectors >= 2 ? parameters : 0) * element,
            (options.EarlyStopping is not null ? parameters : 0) * element, parameters * element, rows * 4L,
        ];
        return buffers.Sum(b => (b + 63) / 64 * 64);
    }

    /// <summary>Bytes of the arena now (0 once disposed): for tests of the estimate.</summary>
    internal long ArenaLayoutBytes => _arena?.Layout.Bytes ?? 0;

    /// <summary>Called by the constructor before the arena exists: refuses a trainer whose buffers exceed the memory available.</summary>
    private static void CheckMemory(Mlp<T> model, TrainerOptions<T> options)
    {
        long bytes = TrainingBytes(model.LayerSizes, model.ParameterCount, options, 0);
        if (bytes > SystemMemory.CheckThresholdBytes && bytes > SystemMemory.AvailableBytes)
        {
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"Training layerSizes {Mlp<T>.Describe(model.LayerSizes)} with {options.Optimizer} and batch size {options.BatchSize} needs {SystemMemory.Format(bytes)} besides the model (gradients, optimizer state, weight snapshots, activations), but only {SystemMemory.Format(SystemMemory.AvailableBytes)} of memory is available. Use smaller layers."));
        }
    }
}
