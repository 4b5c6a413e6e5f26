namespace FastMlp;

public sealed partial class Standardizer<T>
{
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
