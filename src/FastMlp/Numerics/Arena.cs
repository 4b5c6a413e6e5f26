using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastMlp.Numerics;

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
