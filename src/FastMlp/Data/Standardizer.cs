namespace FastMlp;

/// <summary>
/// Per-feature standardization x′ = (x − mean) / std, fitted on training rows only and carried by the
/// model (<see cref="Mlp{T}.Standardizer"/>) so that evaluation and inference apply the same map.
/// Features with zero spread are only centered. Immutable.
/// </summary>
public sealed class Standardizer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private readonly T[] _inverseScale;

    /// <summary>A standardizer from explicit means and standard deviations (std ≤ 0 is treated as 1).</summary>
    public Standardizer(ReadOnlySpan<T> mean, ReadOnlySpan<T> standardDeviation)
    {
        if (mean.Length == 0 || mean.Length != standardDeviation.Length)
        {
            ThrowHelper.Argument(nameof(standardDeviation), $"Means ({mean.Length}) and standard deviations ({standardDeviation.Length}) must be non-empty and of equal length.");
        }
        Guard.Finite(mean, mean.Length);
        Guard.Finite(standardDeviation, standardDeviation.Length);
        _mean = mean.ToArray();
        _inverseScale = new T[mean.Length];
        for (int i = 0; i < _inverseScale.Length; i++)
        {
            T s = standardDeviation[i];
            _inverseScale[i] = s > T.Zero ? T.One / s : T.One;
        }
    }

    /// <summary>
    /// Fits means and (population) standard deviations on <paramref name="data"/>'s features, weighted by its sample
    /// weights when it has them (Σwᵢxᵢ/Σwᵢ, as scikit-learn's <c>StandardScaler.fit(sample_weight=…)</c>): a row of
    /// weight 0 counts as absent, and weights of 1 give exactly the unweighted statistics.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public static Standardizer<T> Fit(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.Rows, features = data.FeatureCount;
        var sum = new double[features];
        var sumSquares = new double[features];
        ReadOnlySpan<T> x = data.Features.Span;
        ReadOnlySpan<T> weights = Dataset<T>.WeightsIfAny(data.SampleWeights.Span);
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = x.Slice(r * features, features);
            double w = weights.IsEmpty ? 1 : double.CreateTruncating(weights[r]);
            total += w;
            for (int j = 0; j < features; j++)
            {
                sum[j] += w * double.CreateTruncating(row[j]);
            }
        }
        var mean = new T[features];
        var std = new T[features];
        for (int j = 0; j < features; j++)
        {
            double m = sum[j] / total;
            mean[j] = T.CreateTruncating(m);
            sum[j] = m;
        }
        // Two passes: Σ(x − mean)² is accurate where Σx² − n·mean² cancels.
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = x.Slice(r * features, features);
            double w = weights.IsEmpty ? 1 : double.CreateTruncating(weights[r]);
            for (int j = 0; j < features; j++)
            {
                double d = double.CreateTruncating(row[j]) - sum[j];
                sumSquares[j] += w * d * d;
            }
        }
        for (int j = 0; j < features; j++)
        {
            std[j] = T.CreateTruncating(Math.Sqrt(sumSquares[j] / total));
        }
        return new Standardizer<T>(mean, std);
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Per-feature means.</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>Per-feature 1/std (1 where std was 0).</summary>
    public ReadOnlySpan<T> InverseScale => _inverseScale;

    /// <summary>destination = (source − mean) ⊙ (1/std), row by row.</summary>
    public void Apply(ReadOnlySpan<T> source, Span<T> destination, int rows)
    {
        int features = _mean.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<T> row = destination.Slice(r * features, features);
            System.Numerics.Tensors.TensorPrimitives.Subtract(source.Slice(r * features, features), _mean, row);
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, _inverseScale, row);
        }
    }

    // The extra parameter keeps this out of overload resolution for `new Standardizer<T>(T[], T[])`,
    // which must keep binding to the public (mean, standard deviation) constructor.
    private Standardizer(T[] mean, T[] inverseScale, bool fromInverseScale)
    {
        _ = fromInverseScale;
        _mean = mean;
        _inverseScale = inverseScale;
    }

    /// <summary>Rebuilds a standardizer from its stored form, bit for bit (1/(1/s) would not round-trip).</summary>
    internal static Standardizer<T> FromInverseScale(T[] mean, T[] inverseScale) => new(mean, inverseScale, fromInverseScale: true);
}
