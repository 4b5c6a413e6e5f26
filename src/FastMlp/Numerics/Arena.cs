using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastMlp.Numerics;

/// <summary>A named, typed slice of an <see cref="Arena"/>, declared in an <see cref="ArenaLayout"/>.</summary>
public readonly struct ArenaBuffer<T> where T : unmanaged
{
    internal ArenaBuffer(int layoutId, string name, long offset, int length)
    {
        LayoutId = layoutId;
        Name = name;
        Offset = offset;
        Length = length;
    }

    internal int LayoutId { get; }

    internal long Offset { get; }

    /// <summary>The name given when the buffer was declared (for diagnostics).</summary>
    public string Name { get; }

    /// <summary>Elements of <typeparamref name="T"/> in the buffer.</summary>
    public int Length { get; }
}

/// <summary>
/// Declares the named buffers one arena holds (parameters, gradients, optimizer state, activations,
/// packed panels …), each starting on a 64-byte boundary. Build it once, then rent an
/// <see cref="Arena"/> for it: one allocation for a whole training session or inference model.
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
        if (length < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(length), $"Arena buffer '{name}' length must be ≥ 0, but was {length}.");
        }
        long offset = Bytes;
        long bytes = (long)length * sizeof(T);
        Bytes = (offset + bytes + Alignment - 1) / Alignment * Alignment;
        _buffers.Add((name, offset, bytes));
        return new ArenaBuffer<T>(Id, name, offset, length);
    }
}

/// <summary>
/// One 64-byte aligned native block carved into the buffers of an <see cref="ArenaLayout"/>.
/// Views are bounds-checked <see cref="Span{T}"/>s and taking them allocates nothing.
/// Dispose returns the block to the <see cref="ArenaPool"/> it came from. An arena does not track the spans it
/// handed out: its owner must not dispose it while another thread still uses one (the trainer guards its arena so).
/// </summary>
public sealed unsafe class Arena : IDisposable
{
    private readonly ArenaPool? _pool;
    private byte* _block;

    internal Arena(ArenaPool? pool, byte* block, long capacity, ArenaLayout layout)
    {
        _pool = pool;
        _block = block;
        Capacity = capacity;
        Layout = layout;
    }

    /// <summary>An arena owning its own block (not pooled).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is null.</exception>
    public static Arena Allocate(ArenaLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new Arena(null, ArenaPool.AllocateBlock(layout.Bytes), Math.Max(layout.Bytes, 1), layout);
    }

    /// <summary>The layout this arena was rented for.</summary>
    public ArenaLayout Layout { get; }

    /// <summary>Bytes of the underlying block (≥ <see cref="ArenaLayout.Bytes"/>).</summary>
    public long Capacity { get; }

    internal byte* Block => _block;

    /// <summary>Whether the arena has been disposed (returned to its pool).</summary>
    public bool IsDisposed => _block == null;

    /// <summary>The span of <paramref name="buffer"/>; throws if the buffer belongs to another layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Span<T>(ArenaBuffer<T> buffer) where T : unmanaged
    {
        if (_block == null)
        {
            ThrowHelper.ObjectDisposed(nameof(Arena));
        }
        if (buffer.LayoutId != Layout.Id)
        {
            ThrowForeign(buffer.Name);
        }
        return new Span<T>(_block + buffer.Offset, buffer.Length);
    }

    /// <summary>A raw pointer to <paramref name="buffer"/> for kernels (valid until the arena is disposed).</summary>
    internal T* Pointer<T>(ArenaBuffer<T> buffer) where T : unmanaged
    {
        _ = Span(buffer);
        return (T*)(_block + buffer.Offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowForeign(string name) =>
        ThrowHelper.Argument("buffer", $"Arena buffer '{name}' was declared in a different layout than this arena's.");

    /// <summary>
    /// Returns the block to the <see cref="ArenaPool"/> it was rented from (or frees it); spans obtained
    /// earlier must no longer be used. Idempotent.
    /// </summary>
    public void Dispose()
    {
        byte* block = _block;
        if (block == null)
        {
            return;
        }
        _block = null;
        if (_pool is not null)
        {
            _pool.Return(block, Capacity);
        }
        else
        {
            NativeMemory.AlignedFree(block);
        }
    }
}

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
        if (bytes > (long)int.MaxValue * 16)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(bytes), $"Arena of {bytes} bytes is larger than FastMlp allows (32 GiB).");
        }
        byte* block = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), ArenaLayout.Alignment);
        // Fresh memory is zeroed so buffers start in a defined state.
        NativeMemory.Clear(block, (nuint)Math.Max(bytes, 1));
        return block;
    }
}
