using System.Diagnostics.Tracing;

namespace FastMlp.Diagnostics;

/// <summary>
/// FastMlp's events for <c>dotnet-trace</c>, <c>dotnet-counters</c> or an in-process
/// <see cref="EventListener"/> (event source name <c>FastMlp</c>).
/// </summary>
[EventSource(Name = "FastMlp")]
public sealed class FastMlpEventSource : EventSource
{
    /// <summary>The single instance that writes the events.</summary>
    public static readonly FastMlpEventSource Log = new();

    /// <summary>Event id of <see cref="GemmPathBelowCpu"/>.</summary>
    public const int GemmPathBelowCpuEventId = 1;

    private FastMlpEventSource()
    {
    }

    /// <summary>
    /// Written once per process, when the GEMM path is chosen, if it is slower than the best path
    /// the CPU supports (see <see cref="Numerics.Gemm.PathDiagnostic"/>).
    /// </summary>
    /// <param name="activePath">The path GEMM runs.</param>
    /// <param name="cpuPath">The best path the CPU supports.</param>
    /// <param name="message">Why, and how to get the faster path.</param>
    [Event(GemmPathBelowCpuEventId, Level = EventLevel.Warning, Message = "{2}")]
    public void GemmPathBelowCpu(string activePath, string cpuPath, string message)
    {
        if (IsEnabled())
        {
            WriteEvent(GemmPathBelowCpuEventId, activePath, cpuPath, message);
        }
    }
}
