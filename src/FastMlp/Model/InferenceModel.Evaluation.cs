using System.Numerics.Tensors;

namespace FastMlp;

public sealed partial class InferenceModel<T>
{
    private const int EvaluationBatch = 256;

    /// <summary>
    /// Metrics of this model's own predictions (its precision: an Int8 model is scored as it runs) on a
    /// dataset: for classification accuracy, the confusion matrix and the mean cross-entropy of the
    /// predicted probabilities; for regression MSE, MAE, R² and the mean loss (<see cref="Loss"/>, MSE when unknown).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset's feature, class or target count does not fit the model.</exception>
    public EvaluationResult Evaluate(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int inputs = InputCount, outputs = OutputCount, rows = data.Rows;
        if (data.FeatureCount != inputs)
        {
            ThrowHelper.Argument(nameof(data), $"The dataset has {data.FeatureCount} features, but the model has {inputs} inputs.");
        }
        if (data.IsClassification ? data.ClassCount != outputs && !(outputs == 1 && data.ClassCount == 2) : data.TargetCount != outputs)
        {
            ThrowHelper.Argument(nameof(data), $"The dataset has {(data.IsClassification ? data.ClassCount + " classes" : data.TargetCount + " targets per row")}, but the model has {outputs} outputs.");
        }
        var x = new T[EvaluationBatch * inputs];
        var y = new T[EvaluationBatch * outputs];
        var predicted = new T[EvaluationBatch * outputs];
        var index = new int[EvaluationBatch];
        var confusion = data.IsClassification ? new int[data.ClassCount, data.ClassCount] : null;
        var sumY = new double[outputs];
        var sumY2 = new double[outputs];
        var sse = new double[outputs];
        double lossSum = 0, absoluteSum = 0;
        long correct = 0;
        bool absoluteLoss = Loss == FastMlp.Loss.MeanAbsoluteError;
        for (int first = 0; first < rows; first += EvaluationBatch)
        {
            int count = Math.Min(EvaluationBatch, rows - first);
            for (int i = 0; i < count; i++)
            {
                index[i] = first + i;
            }
            data.Gather(index.AsSpan(0, count), null, x, y, outputs);
            Predict(x.AsSpan(0, count * inputs), predicted.AsSpan(0, count * outputs), count);
            for (int r = 0; r < count; r++)
            {
                ReadOnlySpan<T> o = predicted.AsSpan(r * outputs, outputs);
                if (confusion is not null)
                {
                    int label = data.Label(first + r);
                    int guess = outputs == 1 ? (o[0] > T.CreateTruncating(0.5) ? 1 : 0) : TensorPrimitives.IndexOfMax(o);
                    correct += guess == label ? 1 : 0;
                    confusion[label, guess]++;
                    double p = outputs == 1 ? double.CreateTruncating(label == 1 ? o[0] : T.One - o[0]) : double.CreateTruncating(o[label]);
                    lossSum -= Math.Log(Math.Max(p, 1e-15));
                    continue;
                }
                for (int k = 0; k < outputs; k++)
                {
                    double target = double.CreateTruncating(y[(r * outputs) + k]), diff = double.CreateTruncating(o[k]) - target;
                    sumY[k] += target;
                    sumY2[k] += target * target;
                    sse[k] += diff * diff;
                    absoluteSum += Math.Abs(diff);
                    lossSum += absoluteLoss ? Math.Abs(diff) / outputs : diff * diff / outputs;
                }
            }
        }
        if (confusion is not null)
        {
            return new EvaluationResult(lossSum / rows, rows) { Accuracy = (double)correct / rows, ConfusionMatrix = confusion };
        }
        double r2 = 0, sseTotal = 0;
        for (int k = 0; k < outputs; k++)
        {
            double sst = sumY2[k] - (sumY[k] * sumY[k] / rows);
            r2 += sst > 0 ? 1 - (sse[k] / sst) : (sse[k] == 0 ? 1 : 0);
            sseTotal += sse[k];
        }
        return new EvaluationResult(lossSum / rows, rows)
        {
            MeanSquaredError = sseTotal / ((double)rows * outputs),
            MeanAbsoluteError = absoluteSum / ((double)rows * outputs),
            RSquared = r2 / outputs,
        };
    }
}
