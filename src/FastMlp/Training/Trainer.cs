using System.Runtime.CompilerServices;
using FastMlp.Numerics;

namespace FastMlp;

/// <summary>
/// Trains an <see cref="Mlp{T}"/> in place. Every buffer (activations, deltas, gradients, optimizer state,
/// batch staging, snapshots for early stopping and the divergence guard, the shuffle order) is carved
/// from one <see cref="Arena"/>, so <see cref="Step"/> and the epoch loop of <see cref="Fit"/> allocate
/// nothing after warm-up. The arena grows (once) when a larger batch or dataset arrives.
/// <para>
/// Not thread-safe, and guarded: a <see cref="Step"/>, <see cref="Fit"/> or <see cref="Evaluate"/> that starts
/// while another one runs (on another thread, or from a progress callback) throws
/// <see cref="InvalidOperationException"/> instead of mixing two updates. <see cref="Dispose"/> never frees
/// memory in use: called while a <see cref="Step"/> runs on another thread it waits for it to finish; while
/// <see cref="Fit"/> or <see cref="Evaluate"/> runs, that call notices at its next batch and throws
/// <see cref="ObjectDisposedException"/> on its own thread, and Dispose returns once the memory is free.
/// </para>
/// </summary>
public sealed partial class Trainer<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Mlp<T> _model;
    private readonly Optimizer _optimizer;
    private readonly Loss _loss;
    private readonly int _batchSize, _epochs;
    private readonly LearningRateSchedule? _schedule;
    private readonly EarlyStopping? _earlyStopping;
    private readonly int _seed;
    private readonly bool _shuffle, _standardize, _standardizeTargets;
    private readonly double _divergenceFactor;

    private Arena? _arena;
    private readonly WorkerPool? _pool;
    private readonly bool _linear;
    private readonly ParallelOptimizerUpdate<T> _update = new();
    private int _batchCapacity, _rowCapacity;
    private ArenaBuffer<T> _activations, _logits, _deltas, _inputs, _targets, _rowWeights, _dropoutMask, _dropped, _gradients;
    // Optimizer state: the first moment is SGD's velocity or Adam's m, the second Adam's v (each as long as the parameters).
    private ArenaBuffer<T> _firstMoment, _secondMoment;
    // Snapshots: the parameters of the best epoch (early stopping) and of the last epoch that ended finite (divergence guard).
    private ArenaBuffer<T> _bestParameters, _lastGoodParameters;
    private ArenaBuffer<int> _order;
    private Evaluation.MetricAccumulator? _validationMetrics;
    private long _updates;
    private readonly ClassWeights? _classWeights;
    private readonly double _dropout;
    private readonly DropoutMasks? _dropoutMasks;
    private TargetScaling? _targetScaling;
    // Whether the output layer currently holds standardized-unit weights (during a fit with StandardizeTargets).
    private bool _outputStandardized;
    private readonly ExclusiveUse _use = new("Trainer");

    /// <summary>A trainer for <paramref name="model"/>; <paramref name="options"/> are validated and read now.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="options"/> or its optimizer is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">BatchSize, Epochs or Threads is below 1, DivergenceFactor is not above 1, or Dropout is outside [0, 1).</exception>
    /// <exception cref="ArgumentException">StandardizeTargets is set for a model whose output is not Identity, or Dropout for a model without hidden layers.</exception>
    public Trainer(Mlp<T> model, TrainerOptions<T> options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Optimizer, "options.Optimizer");
        LossFunctions<T>.CheckPairing(options.Loss, model.OutputActivation, "options.Loss");
        Guard.AtLeast(options.BatchSize, 1, "Batch size");
        Guard.AtLeast(options.Epochs, 1, "Epochs");
        Guard.AtLeast(options.Threads, 1, "Threads");
        Guard.GreaterThan(options.DivergenceFactor, 1, "Divergence factor");
        options.EarlyStopping?.Validate();
        Guard.InRange(options.Dropout, 0, 1, "Dropout");
        if (options.Dropout > 0 && model.LayerCount < 2)
        {
            ThrowHelper.Argument("options.Dropout", "Dropout acts on hidden layers, but the model has none.");
        }
        if (options.StandardizeTargets && model.OutputActivation != Activation.Identity)
        {
            ThrowHelper.Argument("options.StandardizeTargets", $"StandardizeTargets needs an Identity output (the scale is folded into a linear output layer), but the model's output is {model.OutputActivation}.");
        }
        CheckMemory(model, options);
        _model = model;
        _optimizer = options.Optimizer;
        _loss = options.Loss;
        _batchSize = options.BatchSize;
        _epochs = options.Epochs;
        _schedule = options.Schedule;
        _earlyStopping = options.EarlyStopping;
        _seed = options.Seed;
        _shuffle = options.Shuffle;
        _standardize = options.Standardize;
        _standardizeTargets = options.StandardizeTargets;
        _classWeights = options.ClassWeights;
        _dropout = options.Dropout;
        _dropoutMasks = _dropout > 0 ? new DropoutMasks(options.Seed) : null;
        _divergenceFactor = options.DivergenceFactor;
        LearningRate = _optimizer.LearningRate;
        // Threads > 1: one persistent pool for the trainer's lifetime; GEMMs split over it without
        // changing any summation order, so weights are bit-identical to a one-thread run.
        _pool = options.Threads > 1 ? new WorkerPool(options.Threads) : null;
        // One small dense layer with identity output under MSE (linear regression, y = b + m·x):
        // a fused scalar pass beats the general layer machinery by several times at this size.
        _linear = model.LayerCount == 1 && model.OutputActivation == Activation.Identity && options.Loss == Loss.MeanSquaredError
                  && (long)model.InputCount * model.OutputCount <= FusedLinearKernel<T>.MaxWeights;
        ReadCheckpointOptions(options);
        _fingerprint = TrainingFingerprint.Of(options);
        EnsureCapacity(Math.Min(_batchSize, 256), 0);
    }

    /// <summary>The model being trained.</summary>
    public Mlp<T> Model => _model;

    /// <summary>The rate the next <see cref="Step"/> uses (set by the schedule in <see cref="Fit"/>; settable for manual loops).</summary>
    public double LearningRate
    {
        get;
        set
        {
            Optimizer.CheckRate(value, nameof(value));
            field = value;
        }
    }

    /// <summary>Updates applied so far.</summary>
    public long StepCount => _updates;

    /// <summary>
    /// One gradient-descent update on a batch; returns the batch's mean loss (before the update).
    /// Inputs are [batchSize × inputs] (raw: the model's standardizer, if any, is applied here);
    /// targets are [batchSize × outputs], one-hot rows for classification. If the loss is NaN/∞ the
    /// inputs and targets are scanned: a non-finite value throws; otherwise no update is made and
    /// the non-finite loss is returned.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A span is not batchSize rows long, or holds a NaN or infinity (row and column named).</exception>
    /// <exception cref="InvalidOperationException">Another call (Step, Fit, Evaluate) is running on this trainer.</exception>
    /// <exception cref="ObjectDisposedException">The trainer was disposed.</exception>
    public T Step(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize)
    {
        _use.Enter(nameof(Step));
        try
        {
            return StepUnguarded(inputs, targets, batchSize);
        }
        finally
        {
            ExitUse();
        }
    }

    /// <summary><see cref="Step"/> without the concurrency guard (the benchmark's baseline for the guard's cost).</summary>
    internal T StepUnguarded(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize)
    {
        Arena arena = CheckArena();
        Guard.AtLeast(batchSize, 1, "Batch size");
        int inputCount = _model.InputCount, outputCount = _model.OutputCount;
        if (inputs.Length != (long)batchSize * inputCount) ThrowLength(nameof(inputs), inputs.Length, batchSize, inputCount);
        if (targets.Length != (long)batchSize * outputCount) ThrowLength(nameof(targets), targets.Length, batchSize, outputCount);
        if (batchSize > _batchCapacity)
        {
            EnsureCapacity(batchSize, _rowCapacity);
            arena = _arena!;
        }
        ReadOnlySpan<T> x = inputs;
        if (_model.Standardizer is { } standardizer)
        {
            Span<T> staged = arena.Span(_inputs).Slice(0, inputs.Length);
            standardizer.Apply(inputs, staged, batchSize);
            x = staged;
        }
        double loss = UpdateOnBatch(arena, x, targets, batchSize, LearningRate);
        if (!double.IsFinite(loss))
        {
            Guard.Finite(inputs, inputCount);
            Guard.Finite(targets, outputCount);
        }
        return T.CreateTruncating(loss);
    }

    /// <summary>
    /// Forward, loss, backward and update for a staged batch; no update when the loss is not finite. With
    /// <paramref name="rowWeights"/> (summing to <paramref name="weightSum"/>) the loss is the weighted mean.
    /// </summary>
    private double UpdateOnBatch(Arena arena, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int batch, double learningRate,
                              ReadOnlySpan<T> rowWeights = default, double weightSum = 0)
    {
        Mlp<T> model = _model;
        Span<T> gradients = arena.Span(_gradients);
        double loss = _linear && rowWeights.IsEmpty
            ? FusedLinearKernel<T>.Gradients(model.Parameters, x, y, batch, model.InputCount, model.OutputCount, gradients)
            : ForwardBackward(arena, x, y, batch, gradients, rowWeights, weightSum);
        if (!double.IsFinite(loss))
        {
            return loss;
        }
        _updates++;
        _update.Apply(_pool, _optimizer, learningRate, _updates, model.Parameters, gradients, arena.Span(_firstMoment), arena.Span(_secondMoment));
        return loss;
    }

    /// <summary>
    /// Forward pass, mean loss and (when the loss is finite) backprop gradients of a staged batch,
    /// through the arena's activation buffers.
    /// </summary>
    private double ForwardBackward(Arena arena, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int batch, Span<T> gradients,
                             ReadOnlySpan<T> rowWeights = default, double weightSum = 0)
    {
        Mlp<T> model = _model;
        int width = model.ActivationWidth, outputs = model.OutputCount;
        Span<T> activations = arena.Span(_activations).Slice(0, batch * width);
        Span<T> deltas = arena.Span(_deltas).Slice(0, batch * width);
        Span<T> logits = arena.Span(_logits).Slice(0, batch * outputs);
        Span<T> mask = default, dropped = default;
        if (_dropoutMasks is not null)
        {
            int hidden = batch * model.ActivationOffset(model.LayerCount - 1);
            mask = arena.Span(_dropoutMask).Slice(0, hidden);
            dropped = arena.Span(_dropped).Slice(0, hidden);
            _dropoutMasks.Fill(mask, _dropout);
        }
        model.Forward(x, batch, activations, logits, _pool, mask, dropped);
        int outputOffset = batch * model.ActivationOffset(model.LayerCount - 1);
        ReadOnlySpan<T> output = activations.Slice(outputOffset, batch * outputs);
        Span<T> dz = deltas.Slice(outputOffset, batch * outputs);
        double loss = rowWeights.IsEmpty
            ? LossFunctions<T>.Compute(_loss, model.OutputActivation, logits, output, y, batch, outputs, dz)
            : LossFunctions<T>.ComputeWeighted(_loss, model.OutputActivation, logits, output, y, rowWeights, weightSum, batch, outputs, dz);
        if (double.IsFinite(loss))
        {
            model.Backward(x, batch, activations, deltas, gradients, _pool, mask, dropped);
        }
        return loss;
    }

    /// <summary>Backprop gradients of the mean loss for a batch (no update): for <see cref="Verification.GradientCheck"/>.</summary>
    internal double GradientsWithoutUpdate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int batch, Span<T> gradients, ReadOnlySpan<T> rowWeights = default)
    {
        _use.Enter(nameof(GradientsWithoutUpdate));
        try
        {
            CheckArena();
            if (batch > _batchCapacity)
            {
                EnsureCapacity(batch, _rowCapacity);
            }
            double weightSum = 0;
            foreach (T w in rowWeights)
            {
                weightSum += double.CreateTruncating(w);
            }
            return ForwardBackward(_arena!, x, y, batch, gradients, rowWeights, weightSum);
        }
        finally
        {
            ExitUse();
        }
    }

    /// <summary>Lays out (or grows) the one arena; optimizer state and snapshots survive a regrowth.</summary>
    private void EnsureCapacity(int batch, int rows)
    {
        if (_arena is not null && batch <= _batchCapacity && rows <= _rowCapacity)
        {
            return;
        }
        batch = Math.Max(batch, _batchCapacity);
        rows = Math.Max(rows, _rowCapacity);
        Mlp<T> model = _model;
        int parameters = model.ParameterCount, outputs = model.OutputCount;
        var layout = new ArenaLayout();
        ArenaBuffer<T> activations = layout.Add<T>("activations", checked(batch * model.ActivationWidth));
        ArenaBuffer<T> logits = layout.Add<T>("logits", checked(batch * outputs));
        ArenaBuffer<T> deltas = layout.Add<T>("deltas", checked(batch * model.ActivationWidth));
        ArenaBuffer<T> inputs = layout.Add<T>("inputs", checked(batch * model.InputCount));
        ArenaBuffer<T> targets = layout.Add<T>("targets", checked(batch * outputs));
        ArenaBuffer<T> rowWeights = layout.Add<T>("rowWeights", batch);
        int hiddenWidth = _dropout > 0 ? model.ActivationOffset(model.LayerCount - 1) : 0;
        ArenaBuffer<T> dropoutMask = layout.Add<T>("dropout.mask", checked(batch * hiddenWidth));
        ArenaBuffer<T> dropped = layout.Add<T>("dropout.activations", checked(batch * hiddenWidth));
        ArenaBuffer<T> gradients = layout.Add<T>("gradients", parameters);
        ArenaBuffer<T> first = layout.Add<T>("optimizer.first", _optimizer.StateVectors >= 1 ? parameters : 0);
        ArenaBuffer<T> second = layout.Add<T>("optimizer.second", _optimizer.StateVectors >= 2 ? parameters : 0);
        ArenaBuffer<T> best = layout.Add<T>("snapshot.best", _earlyStopping is not null ? parameters : 0);
        ArenaBuffer<T> lastGood = layout.Add<T>("snapshot.lastGood", parameters);
        ArenaBuffer<int> order = layout.Add<int>("shuffle.order", rows);
        Arena arena = ArenaPool.Shared.Rent(layout);
        // Pooled blocks may hold old data; state must start at zero.
        arena.Span(first).Clear();
        arena.Span(second).Clear();
        if (_arena is { } old)
        {
            old.Span(_firstMoment).CopyTo(arena.Span(first));
            old.Span(_secondMoment).CopyTo(arena.Span(second));
            old.Span(_bestParameters).CopyTo(arena.Span(best));
            old.Span(_lastGoodParameters).CopyTo(arena.Span(lastGood));
            old.Dispose();
        }
        (_arena, _batchCapacity, _rowCapacity) = (arena, batch, rows);
        (_activations, _logits, _deltas, _inputs, _targets, _gradients, _rowWeights) = (activations, logits, deltas, inputs, targets, gradients, rowWeights);
        (_firstMoment, _secondMoment, _bestParameters, _lastGoodParameters, _order) = (first, second, best, lastGood, order);
        (_dropoutMask, _dropped) = (dropoutMask, dropped);
    }

    private Arena CheckArena()
    {
        Arena? arena = _arena;
        if (arena is null)
        {
            ThrowHelper.ObjectDisposed(nameof(Trainer<T>));
        }
        return arena;
    }

    /// <summary>
    /// Returns the arena to the pool and stops the worker threads, never while they are in use: during a
    /// <see cref="Step"/> on another thread this waits for it to end; during <see cref="Fit"/> or
    /// <see cref="Evaluate"/> it waits until that call stops at its next batch (it then throws
    /// <see cref="ObjectDisposedException"/>). Called from the trainer's own progress callback it returns at once
    /// and the memory is freed when the running call unwinds. Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (_use.BeginDispose())
        {
            Release();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExitUse()
    {
        if (_use.Exit())
        {
            Release();
        }
    }

    private void Release()
    {
        _arena?.Dispose();
        _arena = null;
        _pool?.Dispose();
        _use.MarkReleased();
    }

    /// <summary>Called at every batch of Fit and Evaluate: stops them when Dispose is waiting.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StopIfDisposing(string operation)
    {
        if (_use.DisposeRequested)
        {
            ThrowDisposedDuring(operation);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposedDuring(string operation) =>
        throw new ObjectDisposedException("Trainer",
            $"The Trainer was disposed while {operation} was running; {operation} stopped at a batch boundary (the model keeps the weights of the last finished step).");

    private static void ThrowLength(string name, int length, int batch, int width) =>
        ThrowHelper.Argument(name, $"{name} has {length} values, but a batch of {batch} rows × {width} needs {(long)batch * width}.");
}
