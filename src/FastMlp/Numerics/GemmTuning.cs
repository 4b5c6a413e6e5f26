namespace FastMlp.Numerics;

/// <summary>Test hooks of <see cref="GemmDriver{T, TV, TS}"/>.</summary>
internal static class GemmTuning
{
    /// <summary>Run the packed strategy even where the direct one would be chosen (this thread only).</summary>
    [ThreadStatic]
    public static bool ForcePacked;
}
