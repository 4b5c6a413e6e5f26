using System.Globalization;

namespace FastMlp;

public sealed partial class Mlp<T>
{
    /// <summary>Bytes the parameters of a network with <paramref name="layerSizes"/> take (one pinned, 64-byte aligned array).</summary>
    /// <exception cref="ArgumentException">The sizes are invalid or give more parameters than one array can hold.</exception>
    public static unsafe long EstimateMemoryBytes(ReadOnlySpan<int> layerSizes) => (CountParameters(layerSizes) * sizeof(T)) + 64;

    /// <summary>
    /// Validates <paramref name="layerSizes"/> and returns the weights and biases they give, counted in 64 bits so
    /// that sizes like 65536×65536 are reported instead of overflowing.
    /// </summary>
    internal static long CountParameters(ReadOnlySpan<int> layerSizes)
    {
        if (layerSizes.Length < 2)
        {
            ThrowHelper.Argument(nameof(layerSizes), $"An MLP needs at least two layer sizes (inputs and outputs), but {layerSizes.Length} were given.");
        }
        Guard.EachAtLeast(layerSizes, 1, "Layer size");
        long parameters = 0;
        for (int i = 1; i < layerSizes.Length; i++)
        {
            parameters += ((long)layerSizes[i - 1] * layerSizes[i]) + layerSizes[i];
        }
        if (parameters > Array.MaxLength)
        {
            ThrowHelper.Argument(nameof(layerSizes), string.Create(CultureInfo.InvariantCulture,
                $"layerSizes {Describe(layerSizes)} give {parameters:N0} weights and biases; FastMlp holds them in one array of at most {Array.MaxLength:N0}. Use smaller layers."));
        }
        return parameters;
    }

    /// <summary>Refuses, before allocating, parameters larger than the memory available (checked only for large networks).</summary>
    private static unsafe void CheckMemory(ReadOnlySpan<int> layerSizes, long parameters)
    {
        long bytes = parameters * sizeof(T);
        if (bytes > SystemMemory.CheckThresholdBytes && bytes > SystemMemory.AvailableBytes)
        {
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"layerSizes {Describe(layerSizes)} need {SystemMemory.Format(bytes)} for the parameters alone, but only {SystemMemory.Format(SystemMemory.AvailableBytes)} of memory is available. Use smaller layers."));
        }
    }

    internal static string Describe(ReadOnlySpan<int> layerSizes) => $"[{string.Join(", ", layerSizes.ToArray())}]";
}
