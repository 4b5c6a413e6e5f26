using System.Reflection;
using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests;

/// <summary>
/// Zero-allocation assertions that cannot pass by luck: a warm-up of at least 3 passes that lasts until two
/// passes in a row allocate nothing (at most 40: the JIT's tier-up can allocate on the calling thread once,
/// later on a busy machine, measured as 8 KB at pass 5 under a load of 20 on 2 cores), then every measured
/// pass must allocate exactly 0 B. The measured passes outnumber the warm-up passes (2w + 2), so a leak
/// that only allocates when a growing collection doubles (a per-call List.Add) must cross a doubling inside
/// the measured window: after w warm-up passes of s calls the capacity is below 2·w·s, and the measured
/// passes make more than w·s further calls. A per-call allocation never lets the warm-up settle and fails
/// in every measured pass.
/// </summary>
internal static class Allocations
{
    private const int MinWarmUpPasses = 3, MaxWarmUpPasses = 40;

    /// <summary>Every measured pass allocates nothing on the calling thread.</summary>
    /// <returns>How many times <paramref name="pass"/> ran (warm-up and measured).</returns>
    public static int AssertNone(Action pass, string what) => AssertNone(pass, what, null);

    /// <summary>
    /// Every measured pass allocates nothing on the calling thread nor on any worker thread of
    /// <paramref name="pool"/>. Each worker's own counter is read on that worker between passes (see
    /// <see cref="WorkerCounters"/>). The process-wide <see cref="GC.GetTotalAllocatedBytes(bool)"/> is
    /// reported alongside but not asserted: the test host allocates 168 B about every 100 ms on its
    /// own threads (measured on an idle test), so in-process it cannot be exactly 0.
    /// One exception, measured on the bare BCL primitives the pool uses (a SemaphoreSlim wake and a
    /// ManualResetEventSlim wait between two threads, 60 passes of 500 round trips): the runtime
    /// allocates one 24 B object on the waiting thread once, at a random pass (never with tiered
    /// compilation off), which no fixed warm-up can force. So the calling thread may show that one
    /// 24 B object once in all measured passes; anything per call shows in every pass, and a growing
    /// list's doubling is far larger than 24 B.
    /// </summary>
    public static int AssertNone(Action pass, string what, WorkerPool? pool)
    {
        var workers = pool is null ? null : new WorkerCounters(pool);
        int warmUp = 0, quiet = 0;
        while (warmUp < MinWarmUpPasses || (quiet < 2 && warmUp < MaxWarmUpPasses))
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            pass();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - start + (workers?.Read() ?? 0);
            quiet = allocated == 0 ? quiet + 1 : 0;
            warmUp++;
        }
        JitQuiet.Wait();
        workers?.Read();
        int measuredPasses = 2 * warmUp + 2;
        long runtimeArtifact = pool is null ? 0 : 24;
        for (int i = 0; i < measuredPasses; i++)
        {
            long process = GC.GetTotalAllocatedBytes(precise: true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            long caller = GC.GetAllocatedBytesForCurrentThread() - before;
            process = GC.GetTotalAllocatedBytes(precise: true) - process;
            long worker = workers?.Read() ?? 0;
            if (caller == runtimeArtifact && worker == 0)
            {
                runtimeArtifact = 0;
                continue;
            }
            if (caller != 0 || worker != 0)
            {
                Assert.Fail($"{what}: measured pass {i + 1} of {measuredPasses} (after {warmUp} warm-up passes) allocated " +
                            $"{caller} B on the calling thread and {worker} B on the pool's workers ({process} B in the whole process).");
            }
        }
        return warmUp + measuredPasses;
    }

    /// <summary>The pool a trainer or inference model owns (private: read by reflection, tests only).</summary>
    public static WorkerPool PoolOf(object owner) =>
        owner.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(WorkerPool)).Select(f => (WorkerPool?)f.GetValue(owner)).SingleOrDefault()
        ?? throw new InvalidOperationException($"{owner.GetType().Name} has no worker pool.");
}

/// <summary>
/// Reads each worker thread's own allocation counter (exact, unlike a process-wide count) by running
/// one part per thread on the pool: the parts wait for each other, so every worker runs exactly one.
/// The difference between two reads covers everything the worker did in between, its wait loop included.
/// </summary>
internal sealed class WorkerCounters(WorkerPool pool) : IPartitionedWork
{
    private readonly Dictionary<int, long> _last = new(pool.Threads);
    private readonly long[] _now = new long[pool.Threads];
    private readonly int[] _thread = new int[pool.Threads];
    private int _arrived;

    /// <summary>Bytes the workers allocated since the previous read (0 on the first).</summary>
    public long Read()
    {
        _arrived = 0;
        pool.Run(this, pool.Threads);
        long grown = 0;
        for (int part = 1; part < pool.Threads; part++)
        {
            if (_last.TryGetValue(_thread[part], out long last))
            {
                grown += _now[part] - last;
            }
            _last[_thread[part]] = _now[part];
        }
        return grown;
    }

    public void Run(int part, int parts)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        Interlocked.Increment(ref _arrived);
        var spin = new SpinWait();
        while (Volatile.Read(ref _arrived) < parts)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        (_now[part], _thread[part]) = (now, Environment.CurrentManagedThreadId);
    }
}
