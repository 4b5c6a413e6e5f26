using System.Runtime.InteropServices;

namespace FastMlp.Numerics;

/// <summary>
/// Per-thread packing buffers for GEMM: one 64-byte aligned native block, grown on first use and
/// then reused, so calls after warm-up allocate nothing (managed or native).
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic]
    private static GemmWorkspace? t_current;

    private void* _block;
    private nuint _bytes;

    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>Returns a block of at least <paramref name="bytes"/> bytes, 64-byte aligned.</summary>
    public void* Get(nuint bytes)
    {
        if (bytes > _bytes)
        {
            if (_block != null)
            {
                NativeMemory.AlignedFree(_block);
            }
            nuint size = Math.Max(bytes, 64 * 1024);
            _block = NativeMemory.AlignedAlloc(size, 64);
            _bytes = size;
        }
        return _block;
    }

    ~GemmWorkspace()
    {
        if (_block != null)
        {
            NativeMemory.AlignedFree(_block);
        }
    }
}
