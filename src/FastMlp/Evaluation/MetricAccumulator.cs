using System.Numerics.Tensors;

namespace FastMlp.Evaluation;

/// <summary>
/// The one place metrics are computed: fed batches of model outputs (probabilities for classification) with their
/// labels or targets, it sums what the metrics need and builds an <see cref="EvaluationResult"/>. Every buffer is
/// sized at construction, so adding batches and <see cref="Reset"/> allocate nothing (the trainer reuses one per fit);
/// ROC-AUC needs every row's scores, kept only when <c>keptRows</c> is given.
/// </summary>
internal sealed class MetricAccumulator
{
    private readonly int _outputs, _classes, _scoreColumns;
    private readonly double _epsilon;
    private readonly long[] _confusion;
    private readonly double[] _sumY, _sumY2, _sse, _absolute;
    private readonly double[]? _scores;
    private readonly int[]? _labels;
    private double _lossSum, _absoluteSum, _logLossSum;
    private long _correct;
    private int _rows;

    /// <param name="outputs">Values per output row.</param>
    /// <param name="classes">Classes of a classification task (2 for one sigmoid output); 0 for regression.</param>
    /// <param name="keptRows">Rows whose scores are kept for ROC-AUC (0: none, ROC-AUC is NaN).</param>
    /// <param name="epsilon">Log-loss clipping: probabilities are clipped to [ε, 1 − ε].</param>
    /// <param name="threshold">Decision threshold of a binary model (<see cref="PredictedClass{T}"/>).</param>
    private MetricAccumulator(int outputs, int classes, int keptRows, double epsilon, double threshold)
    {
        (_outputs, _classes, _epsilon, Threshold) = (outputs, classes, epsilon, threshold);
        _scoreColumns = classes == 2 ? 1 : classes;
        _confusion = new long[classes * classes];
        _sumY = new double[classes == 0 ? outputs : 0];
        _sumY2 = new double[_sumY.Length];
        _sse = new double[_sumY.Length];
        _absolute = new double[_sumY.Length];
        if (classes > 0 && keptRows > 0)
        {
            _scores = new double[(long)keptRows * _scoreColumns];
            _labels = new int[keptRows];
        }
    }

    /// <summary>An accumulator for a model with element type <typeparamref name="T"/> (its machine epsilon clips the log-loss).</summary>
    public static MetricAccumulator For<T>(int outputs, int classes, int keptRows, double threshold) where T : IBinaryFloatingPointIeee754<T> =>
        new(outputs, classes, keptRows, double.CreateTruncating(T.BitIncrement(T.One) - T.One), threshold);

    /// <summary>Whether this accumulator fits a model with <paramref name="outputs"/> outputs on a task with <paramref name="classes"/> classes.</summary>
    public bool Fits(int outputs, int classes, int keptRows = 0) => _outputs == outputs && _classes == classes && (_labels?.Length ?? 0) >= keptRows;

    /// <summary>Decision threshold of a binary model.</summary>
    public double Threshold { get; set; }

    /// <summary>Mean of what <see cref="AddLoss"/> summed, per row.</summary>
    public double Loss => _lossSum / _rows;

    /// <summary>Accuracy (classification) or R² (regression): what the trainer records per epoch.</summary>
    public double Metric => _classes > 0 ? (double)_correct / _rows : RSquared();

    /// <summary>Forgets every row (allocation-free).</summary>
    public void Reset()
    {
        Array.Clear(_confusion);
        Array.Clear(_sumY);
        Array.Clear(_sumY2);
        Array.Clear(_absolute);
        Array.Clear(_sse);
        (_lossSum, _absoluteSum, _logLossSum, _correct, _rows) = (0, 0, 0, 0, 0);
    }

    /// <summary>Adds a sum of per-row losses (the caller's loss function).</summary>
    public void AddLoss(double sum) => _lossSum += sum;

    /// <summary>
    /// The class a row of outputs predicts: one output — 1 when it exceeds <paramref name="threshold"/>; two
    /// outputs and a threshold other than 0.5 — 1 when the second exceeds it; otherwise the arg-max (first on ties).
    /// </summary>
    public static int PredictedClass<T>(ReadOnlySpan<T> outputs, double threshold) where T : IBinaryFloatingPointIeee754<T>
    {
        if (outputs.Length == 1)
        {
            return double.CreateTruncating(outputs[0]) > threshold ? 1 : 0;
        }
        if (outputs.Length == 2 && threshold != 0.5)
        {
            return double.CreateTruncating(outputs[1]) > threshold ? 1 : 0;
        }
        return TensorPrimitives.IndexOfMax(outputs);
    }

    /// <summary>
    /// Adds <paramref name="count"/> rows of class probabilities [count × outputs] with their labels; with
    /// <paramref name="crossEntropyLoss"/> also adds each row's −log max(p, 10⁻¹⁵) of the true class to the loss.
    /// </summary>
    public void AddClassification<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<int> labels, int count, bool crossEntropyLoss)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int width = _outputs, classes = _classes;
        double epsilon = _epsilon;
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<T> o = outputs.Slice(r * width, width);
            int label = labels[r], predicted = PredictedClass(o, Threshold);
            _correct += predicted == label ? 1 : 0;
            _confusion[(label * classes) + predicted]++;
            if (crossEntropyLoss)
            {
                double p = width == 1 ? double.CreateTruncating(label == 1 ? o[0] : T.One - o[0]) : double.CreateTruncating(o[label]);
                _lossSum -= Math.Log(Math.Max(p, 1e-15));
            }
            double clipped = Math.Clamp(double.CreateTruncating(width == 1 ? o[0] : o[label]), epsilon, 1 - epsilon);
            _logLossSum -= Math.Log(width == 1 && label == 0 ? 1 - clipped : clipped);
            if (_scores is { } scores)
            {
                int row = _rows + r;
                _labels![row] = label;
                if (_scoreColumns == 1)
                {
                    scores[row] = double.CreateTruncating(width == 1 ? o[0] : o[1]);
                }
                else
                {
                    for (int c = 0; c < classes; c++)
                    {
                        scores[((long)row * classes) + c] = double.CreateTruncating(o[c]);
                    }
                }
            }
        }
        _rows += count;
    }

    /// <summary>
    /// Adds <paramref name="count"/> rows of outputs and targets [count × outputs]; with <paramref name="rowLoss"/>
    /// also adds each element's squared (or, for <see cref="Loss.MeanAbsoluteError"/>, absolute) error / outputs to the loss.
    /// </summary>
    public void AddRegression<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int count, Loss? rowLoss)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int width = _outputs;
        bool absoluteLoss = rowLoss == FastMlp.Loss.MeanAbsoluteError;
        Span<double> sumY = _sumY, sumY2 = _sumY2, sse = _sse, absolute = _absolute;
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<T> o = outputs.Slice(r * width, width), t = targets.Slice(r * width, width);
            for (int k = 0; k < width; k++)
            {
                double target = double.CreateTruncating(t[k]), diff = double.CreateTruncating(o[k]) - target;
                sumY[k] += target;
                sumY2[k] += target * target;
                sse[k] += diff * diff;
                _absoluteSum += Math.Abs(diff);
                absolute[k] += Math.Abs(diff);
                if (rowLoss is not null)
                {
                    _lossSum += absoluteLoss ? Math.Abs(diff) / width : diff * diff / width;
                }
            }
        }
        _rows += count;
    }

    /// <summary>R² averaged over outputs; a constant target scores 1 for a perfect fit, else 0 (as scikit-learn).</summary>
    private double RSquared()
    {
        double r2 = 0;
        for (int k = 0; k < _outputs; k++)
        {
            r2 += RSquared(k);
        }
        return r2 / _outputs;
    }

    private double RSquared(int k)
    {
        double sst = _sumY2[k] - _sumY[k] * _sumY[k] / _rows;
        return sst > 0 ? 1 - _sse[k] / sst : (_sse[k] == 0 ? 1 : 0);
    }

    /// <summary>Every metric of the rows added so far.</summary>
    public EvaluationResult Result()
    {
        int rows = _rows;
        if (_classes == 0)
        {
            double sseTotal = 0;
            for (int k = 0; k < _outputs; k++)
            {
                sseTotal += _sse[k];
            }
            return new EvaluationResult(Loss, rows)
            {
                MeanSquaredError = sseTotal / ((double)rows * _outputs),
                MeanAbsoluteError = _absoluteSum / ((double)rows * _outputs),
                RSquared = RSquared(),
                PerTarget = _outputs == 1 ? null
                    : [.. Enumerable.Range(0, _outputs).Select(k => new TargetMetrics(Math.Sqrt(_sse[k] / rows), _absolute[k] / rows, RSquared(k)))],
            };
        }
        int classes = _classes;
        var confusion = new int[classes, classes];
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++)
            {
                confusion[t, p] = checked((int)_confusion[(t * classes) + p]);
            }
        }
        (ClassMetrics[] perClass, ClassMetrics macro, ClassMetrics weighted, double balanced) = ClassificationReport.From(_confusion, classes);
        return new EvaluationResult(Loss, rows)
        {
            Accuracy = (double)_correct / rows,
            BalancedAccuracy = balanced,
            ConfusionMatrix = confusion,
            PerClass = perClass,
            MacroAverage = macro,
            WeightedAverage = weighted,
            RocAuc = ComputeRocAuc(),
            LogLoss = _logLossSum / rows,
        };
    }

    private double ComputeRocAuc()
    {
        if (_scores is null || _rows > _labels!.Length)
        {
            return double.NaN;
        }
        int rows = _rows;
        if (_scoreColumns == 1)
        {
            var positive = new byte[rows];
            for (int r = 0; r < rows; r++)
            {
                positive[r] = _labels[r] == 1 ? (byte)1 : (byte)0;
            }
            return RocAuc.Binary(_scores.AsSpan(0, rows).ToArray(), positive);
        }
        return RocAuc.OneVsRest(_scores.AsSpan(0, rows * _classes), _labels.AsSpan(0, rows), _classes, new double[rows], new byte[rows]);
    }
}
