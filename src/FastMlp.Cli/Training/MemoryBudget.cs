using FastMlp.Cli.Options;

namespace FastMlp.Cli.Training;

/// <summary>
/// Refuses an architecture that cannot be trained here (say 20000,20000) in milliseconds, naming the option and the
/// bytes, instead of allocating gigabytes: the library's estimate against what the system has available.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>Bytes to train <paramref name="sizes"/> in float with Adam (the largest optimizer state) at <paramref name="batchSize"/>.</summary>
    public static long TrainingBytes(ReadOnlySpan<int> sizes, int batchSize, int threads = 1, int rows = 0) =>
        Trainer<float>.EstimateMemoryBytes(sizes, new TrainerOptions<float> { Optimizer = Optimizer.Adam(), BatchSize = Math.Min(batchSize, 1 << 20), Threads = threads }, rows);

    /// <summary>Throws a <see cref="CliException"/> naming <paramref name="option"/> when the estimate exceeds what is available.</summary>
    public static void Check(ReadOnlySpan<int> sizes, int batchSize, string option = "--layers", long? available = null, int threads = 1, int rows = 0)
    {
        OptionParsing.CheckArchitecture(sizes, option);
        long needed = TrainingBytes(sizes, batchSize, threads, rows);
        long have = available ?? SystemMemory.AvailableBytes;
        if (needed > have)
        {
            throw new CliException($"{option}: training {string.Join('-', sizes.ToArray())} needs about {SystemMemory.Format(needed)} of memory, " +
                                   $"but {SystemMemory.Format(have)} is available; use smaller layers.");
        }
    }
}
