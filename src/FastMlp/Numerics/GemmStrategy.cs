namespace FastMlp.Numerics;

/// <summary>How <see cref="GemmDriver{T, TV, TS}"/> runs a multiply: matrix-vector (M = 1), direct (B read in place) or packed.</summary>
internal enum GemmStrategy
{
    Gemv,
    Direct,
    Packed,
}
