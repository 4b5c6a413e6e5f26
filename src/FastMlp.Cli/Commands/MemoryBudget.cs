using System.Globalization;

namespace FastMlp.Cli.Commands;

/// <summary>
/// An up-front estimate of what training an architecture needs, so that an impossible one (say 20000,20000) is
/// refused in milliseconds, naming the option and the bytes, instead of allocating gigabytes and thrashing.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>
    /// Bytes to train <paramref name="sizes"/> in float: parameters, gradients, two optimizer moments, the best and
    /// last-good snapshots (6 copies), and per row of a batch the activations and their gradients (2 per unit).
    /// </summary>
    public static long TrainingBytes(ReadOnlySpan<int> sizes, int batchSize)
    {
        long parameters = 0, units = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            units += sizes[i];
            if (i + 1 < sizes.Length)
            {
                parameters += (long)sizes[i] * sizes[i + 1] + sizes[i + 1];
            }
        }
        return sizeof(float) * (6 * parameters + 2 * units * Math.Min(batchSize, 1 << 16));
    }

    /// <summary>Memory this process can still use: the smaller of the GC's limit and what the OS reports available.</summary>
    public static long AvailableBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                {
                    return Math.Min(limit, kb * 1024 + GC.GetTotalMemory(false));
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return limit;
    }

    /// <summary>Throws a <see cref="CliException"/> naming <paramref name="option"/> when the estimate exceeds what is available.</summary>
    public static void Check(ReadOnlySpan<int> sizes, int batchSize, string option = "--layers", long? available = null)
    {
        OptionParsing.CheckArchitecture(sizes, option);
        long needed = TrainingBytes(sizes, batchSize);
        long have = available ?? AvailableBytes();
        if (needed > have)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{option}: training {string.Join('-', sizes.ToArray())} needs about {Gib(needed)} of memory, but {Gib(have)} is available; use smaller layers."));
        }
    }

    private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB ({bytes:N0} bytes)");
}
