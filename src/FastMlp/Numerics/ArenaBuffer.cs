
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
