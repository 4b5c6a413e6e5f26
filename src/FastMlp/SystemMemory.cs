using System.Globalization;

namespace FastMlp;

/// <summary>
/// Memory this process can still use, for refusing a network or trainer up front rather than allocating until the
/// machine swaps or the process is killed. See <see cref="Mlp{T}.EstimateMemoryBytes"/> and
/// <see cref="Trainer{T}.EstimateMemoryBytes"/>.
/// </summary>
public static class SystemMemory
{
    /// <summary>Allocations below this size (64 MiB) are not checked: reading the system's figures costs more than they risk.</summary>
    public const long CheckThresholdBytes = 64L << 20;

    /// <summary>
    /// Bytes available now: the smaller of the runtime's limit (physical memory or the container's limit,
    /// <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>) less the managed heap in use, and on Linux the kernel's
    /// estimate of memory available without swapping (MemAvailable in /proc/meminfo).
    /// </summary>
    public static long AvailableBytes
    {
        get
        {
            if (t_availableForTests is { } fixedForTests)
            {
                return fixedForTests;
            }
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            long available = Math.Max(0, info.TotalAvailableMemoryBytes - GC.GetTotalMemory(false));
            return Math.Min(available, MemAvailable() ?? long.MaxValue);
        }
    }

    /// <summary>Replaces <see cref="AvailableBytes"/> on the calling thread, so tests can check refusals without allocating gigabytes.</summary>
    [ThreadStatic]
    internal static long? t_availableForTests;

    /// <summary>Bytes as "17.4 GB (17,400,000,000 bytes)".</summary>
    public static string Format(long bytes) => bytes >= 1_000_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB ({bytes:N0} bytes)")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB ({bytes:N0} bytes)");

    private static long? MemAvailable()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                // "MemAvailable:   21474836 kB"
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
