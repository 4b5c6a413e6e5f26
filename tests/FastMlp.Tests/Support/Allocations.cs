using Xunit;

namespace FastMlp.Tests;

/// <summary>
/// Zero-allocation assertions. The runtime can allocate once on the calling thread while it swaps in
/// tier-1 code (call counting, on-stack replacement), so the measured loop is retried up to three
/// times: a per-call allocation shows in every attempt, a one-time runtime artifact in one at most.
/// </summary>
internal static class Allocations
{
    public static void AssertNone(Action loop, string what)
    {
        loop();
        long last = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            loop();
            last = GC.GetAllocatedBytesForCurrentThread() - before;
            if (last == 0)
            {
                return;
            }
        }
        Assert.Fail($"{what}: {last} bytes allocated in each of three measured runs.");
    }
}
