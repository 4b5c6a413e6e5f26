using System.Diagnostics;
using System.Numerics.Tensors;
using FastMlp.Evaluation;
using FastMlp.Numerics;

namespace FastMlp;

public sealed partial class Trainer<T>
{
    /// <summary>
    /// Trains for up to <see cref="TrainerOptions{T}.Epochs"/> epochs of seeded, shuffled mini-batches (full-batch
    /// gradient descent when the batch size reaches the row count), evaluating <paramref name="validation"/> after each
    /// epoch, applying the schedule, early stopping and the divergence guard. Returns when done, stopped, diverged
    /// or cancelled (cancellation does not throw: see <see cref="TrainingHistory.Status"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentException">A dataset does not fit the model (feature, class or target count).</exception>
    /// <exception cref="InvalidOperationException">Another call (Step, Fit, Evaluate) is running on this trainer.</exception>
    /// <exception cref="ObjectDisposedException">The trainer was disposed before or (from another thread) during the fit.</exception>
    public TrainingHistory Fit(Dataset<T> train, Dataset<T>? validation, IProgress<EpochReport>? progress = null,
                               CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        _use.Enter(nameof(Fit));
        try
        {
            return FitGuarded(train, validation, progress, cancellationToken);
        }
        finally
        {
            ExitUse();
        }
    }

    private TrainingHistory FitGuarded(Dataset<T> train, Dataset<T>? validation, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        CheckArena();
        CheckDataset(train, nameof(train));
        if (validation is not null)
        {
            CheckDataset(validation, nameof(validation));
        }
        CheckMonitor(train, validation);
        VerifyResumeData(train, validation);
        T[] classWeights = ResolveClassWeights(train);
        if (_standardize)
        {
            _model.Standardizer = Standardizer<T>.Fit(train);
        }
        TargetScaling? scaling = BeginTargetScaling(train);
        try
        {
            return scaling is null
                ? RunEpochs(train, validation, train, validation, classWeights, progress, cancellationToken)
                : RunEpochs(scaling.Apply(train), validation is null ? null : scaling.Apply(validation), train, validation, classWeights, progress, cancellationToken);
        }
        finally
        {
            if (scaling is not null && _outputStandardized)
            {
                scaling.FoldInto(_model);
                _outputStandardized = false;
            }
        }
    }

    /// <summary>Early stopping on a metric needs validation data of the metric's kind.</summary>
    private void CheckMonitor(Dataset<T> train, Dataset<T>? validation)
    {
        if (_earlyStopping is not { Monitor: var monitor and not EarlyStoppingMetric.Loss })
        {
            return;
        }
        if (validation is null)
        {
            ThrowHelper.Argument(nameof(validation), $"Early stopping watches {monitor}, a validation metric, but no validation data was given.");
        }
        if ((monitor == EarlyStoppingMetric.RSquared) == train.IsClassification)
        {
            ThrowHelper.Argument("options.EarlyStopping", $"Early stopping watches {monitor}, which a {(train.IsClassification ? "classification" : "regression")} does not have.");
        }
    }

    /// <summary>
    /// With <see cref="TrainerOptions{T}.StandardizeTargets"/> on regression data: the scaling (fitted on the first
    /// fit, kept afterwards), with the model's output layer expressed in standardized units; otherwise null.
    /// </summary>
    private TargetScaling? BeginTargetScaling(Dataset<T> train)
    {
        if (!_standardizeTargets || train.IsClassification)
        {
            return null;
        }
        if (_targetScaling is null)
        {
            // A trainer's first fit (or a resumed one, whose checkpoint holds the model as trained): the output layer
            // it starts from is taken as standardized already.
            _targetScaling = TargetScaling.Fit(train);
            _outputStandardized = true;
        }
        else if (!_outputStandardized)
        {
            _targetScaling.UnfoldFrom(_model);
            _outputStandardized = true;
        }
        return _targetScaling;
    }

    /// <summary>
    /// The class weights of <see cref="TrainerOptions{T}.ClassWeights"/> resolved against the training data (empty when
    /// none). The rows' total training weight must be positive.
    /// </summary>
    private T[] ResolveClassWeights(Dataset<T> train)
    {
        T[] classWeights = _classWeights is null ? [] : [.. _classWeights.Resolve(train).Select(T.CreateTruncating)];
        if (classWeights.Length > 0 || train.HasSampleWeights)
        {
            int[] all = [.. Enumerable.Range(0, train.Rows)];
            if (!(train.GatherWeights(all, classWeights, new T[train.Rows]) > 0))
            {
                ThrowHelper.Argument(nameof(train), "Every training row weighs 0 (sample weight × class weight): nothing would be learned.");
            }
        }
        return classWeights;
    }

    /// <summary>
    /// The epoch loop on the data as trained (targets standardized or not); <paramref name="recordedTrain"/> and
    /// <paramref name="recordedValidation"/> are the caller's datasets, whose identity a checkpoint records.
    /// </summary>
    private TrainingHistory RunEpochs(Dataset<T> train, Dataset<T>? validation, Dataset<T> recordedTrain, Dataset<T>? recordedValidation,
                                      T[] classWeights, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        bool weighted = classWeights.Length > 0 || train.HasSampleWeights;
        int rows = train.Rows;
        int batchSize = Math.Min(_batchSize, rows);
        // Room for Evaluate's batches too (up to max(BatchSize, 256) rows), so evaluating never lays out a third arena.
        EnsureCapacity(Math.Max(_batchSize, 256), rows);
        Arena arena = _arena!;
        Span<T> parameters = _model.Parameters;
        parameters.CopyTo(arena.Span(_lastGoodParameters));

        var history = new TrainingHistory(_epochs);
        var random = new Random(_seed);
        Span<int> order = arena.Span(_order).Slice(0, rows);
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        double initialRate = _optimizer.LearningRate;
        _schedule?.Reset(initialRate);
        int outputs = _model.OutputCount, inputs = _model.InputCount;
        Standardizer<T>? standardizer = _model.Standardizer;
        _dropoutMasks?.Reset(_seed);
        FitState state = BeginFit(train, validation, history, random, order, initialRate);

        for (int epoch = state.CompletedEpochs; epoch < _epochs; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            double rate = _schedule?.RateForEpoch(epoch, initialRate, state.SamplesSeen) ?? LearningRate;
            if (!(rate > 0) || !double.IsFinite(rate))
            {
                ThrowHelper.InvalidOperation($"The learning-rate schedule returned {rate} for epoch {epoch}; rates must be finite and > 0.");
            }
            LearningRate = rate;
            if (_shuffle)
            {
                random.Shuffle(order);
            }
            double lossSum = 0, weightSum = 0;
            int step = 0;
            for (int first = 0; first < rows; first += batchSize, step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    history.Status = TrainingStatus.Cancelled;
                    return Finish(history, arena);
                }
                StopIfDisposing(nameof(Fit));
                int count = Math.Min(batchSize, rows - first);
                Span<T> x = arena.Span(_inputs).Slice(0, count * inputs);
                Span<T> y = arena.Span(_targets).Slice(0, count * outputs);
                train.Gather(order.Slice(first, count), standardizer, x, y, outputs);
                Span<T> rowWeights = weighted ? arena.Span(_rowWeights).Slice(0, count) : default;
                double batchWeight = weighted ? train.GatherWeights(order.Slice(first, count), classWeights, rowWeights) : count;
                double loss = UpdateOnBatch(arena, x, y, count, rate, rowWeights, batchWeight);
                double reference = epoch == 0 ? state.FirstStepLoss : state.FirstEpochLoss;
                if (!double.IsFinite(loss) || loss > _divergenceFactor * reference)
                {
                    return Diverged(history, arena, epoch, step, rate, loss);
                }
                // A batch that weighs nothing (all its rows weigh 0) has loss 0: no reference for the guard.
                if (double.IsNaN(state.FirstStepLoss) && batchWeight > 0)
                {
                    state.FirstStepLoss = Math.Max(loss, 1e-12);
                }
                lossSum += loss * batchWeight;
                weightSum += batchWeight;
            }
            state.SamplesSeen += rows;
            double trainLoss = lossSum / weightSum;
            if (epoch == 0)
            {
                state.FirstEpochLoss = Math.Max(trainLoss, 1e-12);
            }
            // The last update may have produced non-finite weights that no loss has seen yet.
            if (!T.IsFinite(TensorPrimitives.Sum<T>(parameters)))
            {
                return Diverged(history, arena, epoch, step - 1, rate, double.NaN);
            }
            parameters.CopyTo(arena.Span(_lastGoodParameters));

            double validationLoss = double.NaN, metric = double.NaN;
            if (validation is not null)
            {
                (validationLoss, metric) = Validate(arena, validation);
            }
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            history.Add(trainLoss, validationLoss, metric, rate, seconds);
            progress?.Report(new EpochReport(epoch, trainLoss, validationLoss, metric, rate, seconds));

            double monitored = validation is not null ? validationLoss : trainLoss;
            _schedule?.EpochEnded(epoch, monitored);
            if (_earlyStopping is { Monitor: not EarlyStoppingMetric.Loss } stopping)
            {
                // Minimized like a loss: a metric where higher is better is negated.
                double value = stopping.Read(_validationMetrics!.Result());
                monitored = stopping.HigherIsBetter ? -value : value;
            }
            state.CompletedEpochs = epoch + 1;
            if (monitored < state.BestLoss - (_earlyStopping?.MinDelta ?? 0))
            {
                state.BestLoss = monitored;
                history.BestEpoch = epoch;
                state.EpochsSinceBest = 0;
                if (_earlyStopping is not null)
                {
                    parameters.CopyTo(arena.Span(_bestParameters));
                }
            }
            else if (_earlyStopping is not null && ++state.EpochsSinceBest >= _earlyStopping.Patience)
            {
                history.Status = TrainingStatus.EarlyStopped;
                return Finish(history, arena);
            }
            CheckpointIfDue(recordedTrain, recordedValidation, history, state);
        }
        history.Status = TrainingStatus.Completed;
        return Finish(history, arena);
    }

    /// <summary>Puts the last good epoch's weights back and records where training diverged.</summary>
    private TrainingHistory Diverged(TrainingHistory history, Arena arena, int epoch, int step, double rate, double loss)
    {
        arena.Span(_lastGoodParameters).CopyTo(_model.Parameters);
        history.Status = TrainingStatus.Diverged;
        (history.DivergedEpoch, history.DivergedStep, history.DivergedLearningRate, history.DivergedLoss) = (epoch, step, rate, loss);
        return Finish(history, arena);
    }

    private TrainingHistory Finish(TrainingHistory history, Arena arena)
    {
        if (_earlyStopping is { RestoreBestWeights: true } && history.BestEpoch >= 0 && history.BestEpoch < history.EpochCount - 1)
        {
            arena.Span(_bestParameters).CopyTo(_model.Parameters);
            history.RestoredBestWeights = true;
        }
        return history;
    }

    /// <summary>
    /// Loss (the trainer's loss function) and metrics of the model on <paramref name="data"/>, computed as
    /// <see cref="InferenceModel{T}.Evaluate"/> computes them (see <see cref="EvaluationResult"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset does not fit the model (feature, class or target count).</exception>
    /// <exception cref="InvalidOperationException">Another call (Step, Fit, Evaluate) is running on this trainer.</exception>
    /// <exception cref="ObjectDisposedException">The trainer was disposed before or (from another thread) during the evaluation.</exception>
    public EvaluationResult Evaluate(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _use.Enter(nameof(Evaluate));
        try
        {
            return EvaluateGuarded(data);
        }
        finally
        {
            ExitUse();
        }
    }

    private EvaluationResult EvaluateGuarded(Dataset<T> data)
    {
        CheckArena();
        CheckDataset(data, nameof(data));
        EnsureCapacity(Math.Min(Math.Max(_batchSize, 256), data.Rows), _rowCapacity);
        var metrics = MetricAccumulator.For<T>(_model.OutputCount, data.IsClassification ? data.ClassCount : 0, data.Rows, _model.DecisionThreshold);
        Measure(_arena!, data, metrics, nameof(Evaluate));
        return metrics.Result();
    }

    /// <summary>Validation loss and metric (accuracy or R²) of one epoch, into an accumulator reused across epochs (allocation-free).</summary>
    private (double Loss, double Metric) Validate(Arena arena, Dataset<T> validation)
    {
        int classes = validation.IsClassification ? validation.ClassCount : 0;
        // ROC-AUC ranks every row's score: kept only when early stopping watches it.
        int keptRows = _earlyStopping?.Monitor == EarlyStoppingMetric.RocAuc ? validation.Rows : 0;
        if (_validationMetrics is not { } metrics || !metrics.Fits(_model.OutputCount, classes, keptRows))
        {
            _validationMetrics = metrics = MetricAccumulator.For<T>(_model.OutputCount, classes, keptRows, _model.DecisionThreshold);
        }
        metrics.Reset();
        metrics.Threshold = _model.DecisionThreshold;
        Measure(arena, validation, metrics, nameof(Fit));
        return (metrics.Loss, metrics.Metric);
    }

    /// <summary>Feeds the model's outputs on <paramref name="data"/> (in batches, without allocating) and the trainer's loss to <paramref name="metrics"/>.</summary>
    private void Measure(Arena arena, Dataset<T> data, MetricAccumulator metrics, string operation)
    {
        Mlp<T> model = _model;
        int outputs = model.OutputCount, inputs = model.InputCount, width = model.ActivationWidth;
        int batchCapacity = _batchCapacity, rows = data.Rows;
        Standardizer<T>? standardizer = model.Standardizer;
        Span<int> rowIndex = stackalloc int[64];
        for (int first = 0; first < rows; first += batchCapacity)
        {
            StopIfDisposing(operation);
            int count = Math.Min(batchCapacity, rows - first);
            Span<T> x = arena.Span(_inputs).Slice(0, count * inputs);
            Span<T> y = arena.Span(_targets).Slice(0, count * outputs);
            Span<T> activations = arena.Span(_activations).Slice(0, count * width);
            Span<T> logits = arena.Span(_logits).Slice(0, count * outputs);
            // Gather in chunks of consecutive row numbers (no index buffer needed).
            for (int chunk = 0; chunk < count; chunk += rowIndex.Length)
            {
                int n = Math.Min(rowIndex.Length, count - chunk);
                for (int i = 0; i < n; i++)
                {
                    rowIndex[i] = first + chunk + i;
                }
                data.Gather(rowIndex.Slice(0, n), standardizer, x.Slice(chunk * inputs), y.Slice(chunk * outputs), outputs);
            }
            model.Forward(x, count, activations, logits, _pool);
            ReadOnlySpan<T> output = activations.Slice(count * model.ActivationOffset(model.LayerCount - 1), count * outputs);
            metrics.AddLoss(count * LossFunctions<T>.Compute(_loss, model.OutputActivation, logits, output, y, count, outputs, default));
            if (data.IsClassification)
            {
                metrics.AddClassification(output, data.Labels.Span.Slice(first, count), count, crossEntropyLoss: false);
            }
            else
            {
                metrics.AddRegression<T>(output, y, count, rowLoss: null);
            }
        }
    }

    private void CheckDataset(Dataset<T> data, string name)
    {
        if (data.FeatureCount != _model.InputCount)
        {
            ThrowHelper.Argument(name, $"The {name} dataset has {data.FeatureCount} features, but the model has {_model.InputCount} inputs.");
        }
        int outputs = _model.OutputCount;
        if (data.IsClassification)
        {
            bool binary = outputs == 1 && data.ClassCount == 2;
            if (!binary && data.ClassCount != outputs)
            {
                ThrowHelper.Argument(name, $"The {name} dataset has {data.ClassCount} classes, but the model has {outputs} outputs (one per class, or one output for two classes).");
            }
        }
        else if (data.TargetCount != outputs)
        {
            ThrowHelper.Argument(name, $"The {name} dataset has {data.TargetCount} targets per row, but the model has {outputs} outputs.");
        }
    }
}
