using System.Runtime.InteropServices;

namespace FastMlp.Numerics;

/// <summary>
/// op(B) (k×n) packed once into the panel layout of one GEMM path, for reuse across many
/// <see cref="Gemm.Multiply{T}(bool, int, T, ReadOnlySpan{T}, int, PackedMatrix{T}, T, Span{T}, int)"/>
/// calls (a layer's weights across a batch loop). Native, 64-byte aligned; dispose to free. Any number of
/// threads may multiply with it at once; <see cref="Dispose"/> while they do waits for them to finish (and
/// later calls throw <see cref="ObjectDisposedException"/>), so the block is never freed while in use.
/// </summary>
public sealed unsafe class PackedMatrix<T> : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const int DisposedBit = 1 << 30;
    private T* _data;
    private readonly long _length;
    // Calls using the block now, plus DisposedBit once Dispose was called: the last one out frees it.
    private int _users;
    private int _freed;
    // The scalar path has no panel layout: it keeps a copy of B as given.
    private int _sourceStride;

    internal PackedMatrix(GemmPath path, bool transposeB, int k, int n)
    {
        Guard.AtLeast(k, 0, "Matrix size k");
        Guard.AtLeast(n, 0, "Matrix size n");
        Path = path;
        TransposedSource = transposeB;
        Depth = k;
        Columns = n;
        _length = path switch
        {
            GemmPath.Avx512 => GemmDriver<T, System.Runtime.Intrinsics.Vector512<T>, SimdAvx512<T>>.PackedLength(k, n),
            GemmPath.Avx2 => GemmDriver<T, System.Runtime.Intrinsics.Vector256<T>, SimdAvx2<T>>.PackedLength(k, n),
            GemmPath.Portable => GemmDriver<T, System.Runtime.Intrinsics.Vector128<T>, SimdPortable<T>>.PackedLength(k, n),
            _ => (long)k * n,
        };
        _data = (T*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, _length * sizeof(T)), 64);
    }

    /// <summary>The GEMM path whose layout this packing uses.</summary>
    public GemmPath Path { get; }

    /// <summary>k: rows of op(B).</summary>
    public int Depth { get; }

    /// <summary>n: columns of op(B).</summary>
    public int Columns { get; }

    internal bool TransposedSource { get; }

    internal int SourceStride => _sourceStride;

    internal ReadOnlySpan<T> Source => new(Pointer, (int)_length);

    internal T* Pointer
    {
        get
        {
            if (_data == null) ThrowHelper.ObjectDisposed(nameof(PackedMatrix<T>));
            return _data;
        }
    }

    /// <summary>Marks the block in use until <see cref="Release"/>; throws if disposed.</summary>
    internal void Acquire()
    {
        if ((Interlocked.Increment(ref _users) & DisposedBit) != 0)
        {
            Release();
            ThrowHelper.ObjectDisposed(nameof(PackedMatrix<T>));
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _users) == DisposedBit)
        {
            Free();
        }
    }

    /// <summary>Repacks from new values of B (same shape), without allocating.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ldb"/> is negative or smaller than a row of B.</exception>
    /// <exception cref="ArgumentException"><paramref name="b"/> is too short for B with stride <paramref name="ldb"/>.</exception>
    /// <exception cref="ObjectDisposedException">The matrix was disposed.</exception>
    public void Update(ReadOnlySpan<T> b, int ldb)
    {
        int rows = TransposedSource ? Columns : Depth, cols = TransposedSource ? Depth : Columns;
        if (ldb < cols || ldb < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(ldb), $"Row stride ldb = {ldb} is smaller than a stored row of B ({cols} elements) or negative.");
        }
        long need = GemmArguments.Extent(rows, cols, ldb);
        if (b.Length < need)
        {
            ThrowHelper.Argument(nameof(b), $"Span b has {b.Length} elements, but B stored as {rows}×{cols} with ldb = {ldb} needs {need}.");
        }
        Acquire();
        try
        {
            Repack(b, ldb, rows, cols);
        }
        finally
        {
            Release();
        }
    }

    private void Repack(ReadOnlySpan<T> b, int ldb, int rows, int cols)
    {
        T* dst = Pointer;
        fixed (T* pb = b)
        {
            switch (Path)
            {
                case GemmPath.Avx512:
                    GemmDriver<T, System.Runtime.Intrinsics.Vector512<T>, SimdAvx512<T>>.PackAll(TransposedSource, Depth, Columns, pb, ldb, dst);
                    break;
                case GemmPath.Avx2:
                    GemmDriver<T, System.Runtime.Intrinsics.Vector256<T>, SimdAvx2<T>>.PackAll(TransposedSource, Depth, Columns, pb, ldb, dst);
                    break;
                case GemmPath.Portable:
                    GemmDriver<T, System.Runtime.Intrinsics.Vector128<T>, SimdPortable<T>>.PackAll(TransposedSource, Depth, Columns, pb, ldb, dst);
                    break;
                default:
                    for (int r = 0; r < rows; r++)
                    {
                        new ReadOnlySpan<T>(pb + ((long)r * ldb), cols).CopyTo(new Span<T>(dst + ((long)r * cols), cols));
                    }
                    _sourceStride = Math.Max(1, cols);
                    break;
            }
        }
    }

    /// <summary>Frees the block once no call uses it; waits for calls running on other threads. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Or(ref _users, DisposedBit) == 0)
        {
            Free();
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref _freed) == 0)
        {
            spin.SpinOnce(sleep1Threshold: 20);
        }
        GC.SuppressFinalize(this);
    }

    // Several may see the count reach "disposed, no users" (a late Acquire's undo); only the first frees.
    private void Free()
    {
        if (Interlocked.CompareExchange(ref _freed, 1, 0) == 0)
        {
            T* data = _data;
            _data = null;
            NativeMemory.AlignedFree(data);
        }
    }

    /// <summary>Frees the packed panels of a matrix that was not disposed.</summary>
    ~PackedMatrix()
    {
        if (_data != null)
        {
            NativeMemory.AlignedFree(_data);
        }
    }
}
