namespace FastMlp.Verification;

/// <summary>
/// A deliberately naive double-precision forward pass and loss, independent of the fast kernels, used as
/// the finite-difference oracle. Caches each layer's input so a perturbation of layer l recomputes only
/// layers l…L. Also returns a "kink signature" (which ReLU units are active, which signs ŷ − y has for
/// MAE) so that finite differences straddling a kink can be detected and skipped.
/// </summary>
internal sealed class ReferenceNetwork
{
    private readonly int[] _sizes;
    private readonly int[] _offsets;
    private readonly Activation _hidden, _output;
    private readonly Loss _loss;
    private readonly double[] _targets;
    private readonly int _batch;
    private readonly double[][] _layerInputs;
    private readonly double[] _z, _a;

    public ReferenceNetwork(Mlp<float> model, Loss loss, double[] x, double[] targets, int batch)
        : this(model.Sizes, Offsets(model.LayerCount, model.WeightOffset), ToDouble(model.Parameters), model.HiddenActivation, model.OutputActivation, loss, x, targets, batch)
    {
    }

    public ReferenceNetwork(Mlp<double> model, Loss loss, double[] x, double[] targets, int batch)
        : this(model.Sizes, Offsets(model.LayerCount, model.WeightOffset), model.Parameters.ToArray(), model.HiddenActivation, model.OutputActivation, loss, x, targets, batch)
    {
    }

    private ReferenceNetwork(int[] sizes, int[] offsets, double[] parameters, Activation hidden, Activation output, Loss loss, double[] x, double[] targets, int batch)
    {
        _sizes = sizes;
        _offsets = offsets;
        Parameters = parameters;
        _hidden = hidden;
        _output = output;
        _loss = loss;
        _targets = targets;
        _batch = batch;
        int layers = sizes.Length - 1;
        _layerInputs = new double[layers][];
        _layerInputs[0] = x;
        int widest = sizes.Max();
        _z = new double[batch * widest];
        _a = new double[batch * widest];
        BaseKinks = new long[layers];
        // Fill the cached inputs of every layer, and each start layer's unperturbed kink signature.
        LossFrom(0, out _, cacheInputs: true);
        for (int l = 0; l < layers; l++)
        {
            LossFrom(l, out BaseKinks[l]);
        }
    }

    public double[] Parameters { get; }

    /// <summary>Kink signature of layers l…L at the unperturbed parameters, per start layer l.</summary>
    public long[] BaseKinks { get; }

    public int LayerOf(int index)
    {
        int l = 0;
        while (index >= _offsets[l + 1])
        {
            l++;
        }
        return l;
    }

    public ParameterLocation Locate(int index)
    {
        int l = LayerOf(index), inputs = _sizes[l], outputs = _sizes[l + 1];
        int local = index - _offsets[l];
        return local < inputs * outputs
            ? new ParameterLocation(l, false, local / outputs, local % outputs)
            : new ParameterLocation(l, true, 0, local - inputs * outputs);
    }

    /// <summary>Mean loss, recomputing layers from <paramref name="start"/> on from the cached input of that layer.</summary>
    public double LossFrom(int start, out long kinks, bool cacheInputs = false)
    {
        int layers = _sizes.Length - 1, batch = _batch;
        kinks = 0;
        double[] input = _layerInputs[start];
        for (int l = start; l < layers; l++)
        {
            int inputs = _sizes[l], outputs = _sizes[l + 1], w = _offsets[l], b = w + inputs * outputs;
            Activation activation = l == layers - 1 ? _output : _hidden;
            for (int r = 0; r < batch; r++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    double z = Parameters[b + j];
                    for (int i = 0; i < inputs; i++)
                    {
                        z += input[r * inputs + i] * Parameters[w + i * outputs + j];
                    }
                    _z[r * outputs + j] = z;
                    if (activation is Activation.ReLU or Activation.LeakyReLU && z > 0)
                    {
                        kinks = unchecked(kinks * 31 + (((long)l << 40) | ((long)r << 20) | (long)j) + 1);
                    }
                    _a[r * outputs + j] = activation switch
                    {
                        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
                        Activation.Tanh => Math.Tanh(z),
                        Activation.ReLU => Math.Max(z, 0),
                        Activation.LeakyReLU => z > 0 ? z : ActivationFunctions.LeakyReLUSlope * z,
                        _ => z,
                    };
                }
                if (activation == Activation.Softmax)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int j = 0; j < outputs; j++) max = Math.Max(max, _z[r * outputs + j]);
                    for (int j = 0; j < outputs; j++) sum += Math.Exp(_z[r * outputs + j] - max);
                    for (int j = 0; j < outputs; j++) _a[r * outputs + j] = Math.Exp(_z[r * outputs + j] - max) / sum;
                }
            }
            if (l < layers - 1)
            {
                double[] next = cacheInputs ? (_layerInputs[l + 1] ??= new double[batch * outputs]) : new double[batch * outputs];
                Array.Copy(_a, next, batch * outputs);
                input = next;
            }
        }
        return Loss(ref kinks);
    }

    /// <summary>
    /// Per-row weights: the loss is then Σ wᵢ·lᵢ / Σ wᵢ (0 when every weight is 0) instead of the plain mean over rows.
    /// </summary>
    public double[]? RowWeights { get; init; }

    private double Loss(ref long kinks)
    {
        double total = 0, weightSum = 0;
        for (int r = 0; r < _batch; r++)
        {
            double w = RowWeights?[r] ?? 1;
            total += w * RowLoss(r, ref kinks);
            weightSum += w;
        }
        return weightSum == 0 ? 0 : total / weightSum;
    }

    /// <summary>Loss of one row: cross-entropy over its classes, or the mean over its outputs for the elementwise losses.</summary>
    private double RowLoss(int r, ref long kinks)
    {
        int outputs = _sizes[^1];
        double total = 0;
        switch (_loss)
        {
            case FastMlp.Loss.SoftmaxCrossEntropy:
                {
                    double max = double.NegativeInfinity, sum = 0, ySum = 0, yz = 0;
                    for (int j = 0; j < outputs; j++) max = Math.Max(max, _z[r * outputs + j]);
                    for (int j = 0; j < outputs; j++)
                    {
                        sum += Math.Exp(_z[r * outputs + j] - max);
                        ySum += _targets[r * outputs + j];
                        yz += _targets[r * outputs + j] * _z[r * outputs + j];
                    }
                    return (max + Math.Log(sum)) * ySum - yz;
                }
            case FastMlp.Loss.BinaryCrossEntropy:
                for (int i = r * outputs; i < (r + 1) * outputs; i++)
                {
                    double z = _z[i], y = _targets[i];
                    total += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                }
                return total / outputs;
            case FastMlp.Loss.MeanAbsoluteError:
                for (int i = r * outputs; i < (r + 1) * outputs; i++)
                {
                    double d = _a[i] - _targets[i];
                    total += Math.Abs(d);
                    if (d > 0)
                    {
                        kinks = unchecked(kinks * 37 + i + 1);
                    }
                }
                return total / outputs;
            default:
                for (int i = r * outputs; i < (r + 1) * outputs; i++)
                {
                    double d = _a[i] - _targets[i];
                    total += d * d;
                }
                return total / outputs;
        }
    }

    private static int[] Offsets(int layers, Func<int, int> weightOffset)
    {
        var offsets = new int[layers + 1];
        for (int l = 0; l <= layers; l++)
        {
            offsets[l] = weightOffset(l);
        }
        return offsets;
    }

    private static double[] ToDouble(Span<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }
}
