
namespace FastMlp.Numerics;

/// <summary>
/// Declares the named buffers one arena holds (gradients, optimizer state, activations, weight snapshots,
/// packed panels …; not the parameters, which the model keeps in its own aligned array), each starting on a
/// 64-byte boundary. Build it once, then rent an <see cref="Arena"/> for it: one allocation per layout (a trainer
/// lays out one when built and grows it once when Fit needs room for the whole shuffle order).
/// </summary>
public sealed class ArenaLayout
{
    private static int s_nextId;
    private readonly List<(string Name, long Offset, long Bytes)> _buffers = [];

    /// <summary>Alignment of every buffer (a cache line, and a zmm register).</summary>
    public const int Alignment = 64;

    internal int Id { get; } = Interlocked.Increment(ref s_nextId);

    /// <summary>Total bytes an arena for this layout needs.</summary>
    public long Bytes { get; private set; }

    /// <summary>Buffers declared so far: name, byte offset, byte size.</summary>
    public IReadOnlyList<(string Name, long Offset, long Bytes)> Buffers => _buffers;

    /// <summary>Declares a buffer of <paramref name="length"/> elements.</summary>
    public unsafe ArenaBuffer<T> Add<T>(string name, int length) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(name);
        Guard.AtLeast(length, 0, $"Arena buffer '{name}' length");
        long offset = Bytes;
        long bytes = (long)length * sizeof(T);
        Bytes = (offset + bytes + Alignment - 1) / Alignment * Alignment;
        _buffers.Add((name, offset, bytes));
        return new ArenaBuffer<T>(Id, name, offset, length);
    }
}
