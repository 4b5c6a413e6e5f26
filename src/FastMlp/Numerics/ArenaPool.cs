using System.Runtime.InteropServices;

namespace FastMlp.Numerics;

/// <summary>
/// Reuses arena blocks: <see cref="Rent"/> hands out the smallest free block that fits (or allocates
/// one), disposing the arena gives it back. <see cref="Outstanding"/> counts arenas not yet returned,
/// so tests (and users) can prove nothing leaks.
/// </summary>
public sealed unsafe class ArenaPool : IDisposable
{
    private readonly List<(nint Block, long Capacity)> _free = [];
    private readonly Lock _lock = new();
    private int _outstanding;

    /// <summary>The process-wide pool.</summary>
    public static ArenaPool Shared { get; } = new();

    /// <summary>Arenas rented and not yet disposed.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Blocks waiting for reuse.</summary>
    public int FreeBlocks
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    /// <summary>Rents an arena for <paramref name="layout"/>, reusing a returned block when one is large enough.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is null.</exception>
    public Arena Rent(ArenaLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        long need = Math.Max(layout.Bytes, 1);
        byte* block = null;
        long capacity = need;
        lock (_lock)
        {
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
            {
                if (_free[i].Capacity >= need && (best < 0 || _free[i].Capacity < _free[best].Capacity))
                {
                    best = i;
                }
            }
            if (best >= 0)
            {
                block = (byte*)_free[best].Block;
                capacity = _free[best].Capacity;
                _free.RemoveAt(best);
            }
        }
        if (block == null)
        {
            block = AllocateBlock(need);
        }
        Interlocked.Increment(ref _outstanding);
        return new Arena(this, block, capacity, layout);
    }

    internal void Return(byte* block, long capacity)
    {
        lock (_lock)
        {
            _free.Add(((nint)block, capacity));
        }
        Interlocked.Decrement(ref _outstanding);
    }

    /// <summary>Frees every block waiting for reuse.</summary>
    public void Trim()
    {
        lock (_lock)
        {
            foreach ((nint block, _) in _free)
            {
                NativeMemory.AlignedFree((void*)block);
            }
            _free.Clear();
        }
    }

    /// <summary>Frees the pooled free blocks (<see cref="Trim"/>); rented arenas stay valid.</summary>
    public void Dispose() => Trim();

    internal static byte* AllocateBlock(long bytes)
    {
        Guard.AtMost(bytes, (long)int.MaxValue * 16, "Arena size", " bytes (32 GiB, the most FastMlp allows)");
        byte* block = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), ArenaLayout.Alignment);
        // Fresh memory is zeroed so buffers start in a defined state.
        NativeMemory.Clear(block, (nuint)Math.Max(bytes, 1));
        return block;
    }
}
