namespace FastMlp;

/// <summary>
/// Regression targets trained standardized, column by column: y′ = (y − μ)/σ with μ and σ (population standard
/// deviation; 1 for a constant column) of each target column of the training data, so default learning rates work
/// whatever the targets' units. The scale is folded into the linear output layer when a fit ends:
/// y = σ·(W·h + b) + μ = (σW)·h + (σb + μ), so the model predicts in the targets' own units and needs nothing at inference.
/// </summary>
internal sealed class TargetScaling
{
    private TargetScaling(double[] mean, double[] scale)
    {
        Mean = mean;
        Scale = scale;
    }

    public double[] Mean { get; }

    public double[] Scale { get; }

    /// <summary>Means and standard deviations of the target columns, weighted by the sample weights when there are any (as <see cref="Standardizer{T}.Fit"/>).</summary>
    public static TargetScaling Fit<T>(Dataset<T> data) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int columns = data.TargetCount, rows = data.Rows;
        ReadOnlySpan<T> y = data.Targets.Span;
        ReadOnlySpan<T> weights = Dataset<T>.WeightsIfAny(data.SampleWeights.Span);
        var mean = new double[columns];
        var scale = new double[columns];
        for (int k = 0; k < columns; k++)
        {
            double sum = 0, total = 0;
            for (int r = 0; r < rows; r++)
            {
                double w = weights.IsEmpty ? 1 : double.CreateTruncating(weights[r]);
                sum += w * double.CreateTruncating(y[(r * columns) + k]);
                total += w;
            }
            double mu = sum / total, squares = 0;
            for (int r = 0; r < rows; r++)
            {
                double w = weights.IsEmpty ? 1 : double.CreateTruncating(weights[r]);
                double d = double.CreateTruncating(y[(r * columns) + k]) - mu;
                squares += w * d * d;
            }
            double std = Math.Sqrt(squares / total);
            mean[k] = mu;
            scale[k] = std > 0 && double.IsFinite(std) ? std : 1;
        }
        return new TargetScaling(mean, scale);
    }

    /// <summary>The dataset with standardized targets (features shared, not copied).</summary>
    public Dataset<T> Apply<T>(Dataset<T> data) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        data.WithTargets(Standardize<T>(data.Targets.Span, data.TargetCount));

    /// <summary>Output layer from standardized to original units: W[:, k] ·= σₖ, b[k] = σₖ·b[k] + μₖ.</summary>
    public void FoldInto<T>(Mlp<T> model) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Rescale(model, fold: true);

    /// <summary>The inverse of <see cref="FoldInto"/>: the output layer back in standardized units.</summary>
    public void UnfoldFrom<T>(Mlp<T> model) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Rescale(model, fold: false);

    private T[] Standardize<T>(ReadOnlySpan<T> targets, int columns) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new T[targets.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            int k = i % columns;
            double v = double.CreateTruncating(targets[i]);
            result[i] = T.CreateTruncating((v - Mean[k]) / Scale[k]);
        }
        return result;
    }

    private void Rescale<T>(Mlp<T> model, bool fold) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int last = model.LayerCount - 1, outputs = model.OutputCount;
        int inputs = model.Sizes[last];
        Span<T> layer = model.Parameters.Slice(model.WeightOffset(last), (inputs + 1) * outputs);
        Span<T> weights = layer.Slice(0, inputs * outputs), biases = layer.Slice(inputs * outputs, outputs);
        for (int i = 0; i < weights.Length; i++)
        {
            int k = i % outputs;
            double w = double.CreateTruncating(weights[i]);
            weights[i] = T.CreateTruncating(fold ? w * Scale[k] : w / Scale[k]);
        }
        for (int k = 0; k < outputs; k++)
        {
            double b = double.CreateTruncating(biases[k]);
            biases[k] = T.CreateTruncating(fold ? (b * Scale[k]) + Mean[k] : (b - Mean[k]) / Scale[k]);
        }
    }
}
