using FastMlp.Evaluation;

namespace FastMlp;

public sealed partial class InferenceModel<T>
{
    private const int EvaluationBatch = 256;

    /// <summary>
    /// The class one row of outputs predicts: for one output, 1 when it exceeds <see cref="DecisionThreshold"/>; for two
    /// outputs, 1 when the second exceeds it (with the default 0.5: the arg-max); otherwise the arg-max (first on ties).
    /// Allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> is not one row of <see cref="OutputCount"/> values.</exception>
    public int PredictedClass(ReadOnlySpan<T> outputs)
    {
        if (outputs.Length != OutputCount)
        {
            ThrowHelper.Argument(nameof(outputs), $"outputs has {outputs.Length} values, but the model has {OutputCount} outputs.");
        }
        return MetricAccumulator.PredictedClass(outputs, DecisionThreshold);
    }

    /// <summary>
    /// Metrics of this model's own predictions (its precision: an Int8 model is scored as it runs) on a dataset
    /// (see <see cref="EvaluationResult"/>): for classification accuracy, balanced accuracy, the confusion matrix,
    /// per-class and averaged precision/recall/F1, ROC-AUC, log-loss and as loss the mean cross-entropy of the predicted
    /// probabilities; for regression MSE, MAE, R² and the mean loss (<see cref="Loss"/>, MSE when unknown).
    /// Needs no trainer: this is how a loaded model is scored.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset's feature, class or target count does not fit the model.</exception>
    public EvaluationResult Evaluate(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return EvaluateWith(data, null);
    }

    /// <summary>
    /// <see cref="Evaluate(Dataset{T})"/> with the dataset's features replaced by <paramref name="features"/> (same
    /// shape; null: the dataset's own), as permutation importance scores shuffled columns.
    /// </summary>
    internal EvaluationResult EvaluateWith(Dataset<T> data, T[]? features)
    {
        int inputs = InputCount, outputs = OutputCount, rows = data.Rows;
        if (data.FeatureCount != inputs)
        {
            ThrowHelper.Argument(nameof(data), $"The dataset has {data.FeatureCount} features, but the model has {inputs} inputs.");
        }
        if (data.IsClassification ? data.ClassCount != outputs && !(outputs == 1 && data.ClassCount == 2) : data.TargetCount != outputs)
        {
            ThrowHelper.Argument(nameof(data), $"The dataset has {(data.IsClassification ? data.ClassCount + " classes" : data.TargetCount + " targets per row")}, but the model has {outputs} outputs.");
        }
        var metrics = MetricAccumulator.For<T>(outputs, data.IsClassification ? data.ClassCount : 0, rows, DecisionThreshold);
        var x = new T[EvaluationBatch * inputs];
        var y = new T[EvaluationBatch * outputs];
        var predicted = new T[EvaluationBatch * outputs];
        var index = new int[EvaluationBatch];
        for (int first = 0; first < rows; first += EvaluationBatch)
        {
            int count = Math.Min(EvaluationBatch, rows - first);
            for (int i = 0; i < count; i++)
            {
                index[i] = first + i;
            }
            data.Gather(index.AsSpan(0, count), null, x, y, outputs);
            features?.AsSpan(first * inputs, count * inputs).CopyTo(x);
            Predict(x.AsSpan(0, count * inputs), predicted.AsSpan(0, count * outputs), count);
            if (data.IsClassification)
            {
                metrics.AddClassification<T>(predicted, data.Labels.Span.Slice(first, count), count, crossEntropyLoss: true);
            }
            else
            {
                metrics.AddRegression<T>(predicted, y, count, Loss ?? FastMlp.Loss.MeanSquaredError);
            }
        }
        return metrics.Result();
    }
}
