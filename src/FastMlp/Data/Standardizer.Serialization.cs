namespace FastMlp;

public sealed partial class Standardizer<T>
{
    private Standardizer(T[] mean, T[] inverseScale)
    {
        _mean = mean;
        _inverseScale = inverseScale;
    }

    /// <summary>Rebuilds a standardizer from its stored form, bit for bit (1/(1/s) would not round-trip).</summary>
    internal static Standardizer<T> FromInverseScale(T[] mean, T[] inverseScale) => new(mean, inverseScale);
}
