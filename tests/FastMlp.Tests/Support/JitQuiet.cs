namespace FastMlp.Tests;

/// <summary>
/// Waits until the JIT has compiled nothing new for a while. Tiered compilation promotes hot methods in the
/// background, and the switch to the optimized code can allocate on the calling thread; on a loaded machine that
/// happens late (seen: 608 B inside a Fit, 8 KB at the fifth Predict pass). Allocation checks run after it settles.
/// </summary>
internal static class JitQuiet
{
    public static void Wait(int quietMilliseconds = 300, int maxMilliseconds = 5000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last = System.Runtime.JitInfo.GetCompiledMethodCount();
        long quietSince = 0;
        while (clock.ElapsedMilliseconds - quietSince < quietMilliseconds && clock.ElapsedMilliseconds < maxMilliseconds)
        {
            Thread.Sleep(50);
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != last)
            {
                (last, quietSince) = (now, clock.ElapsedMilliseconds);
            }
        }
    }
}
