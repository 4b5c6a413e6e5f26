using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastMlp.Numerics;

/// <summary>
/// Portable path: <see cref="Vector128{T}"/> with a separate multiply and add, so it runs (and
/// rounds the same way) on any SIMD hardware, x64 SSE or Arm64 AdvSimd. Tile 4 rows × 3 vectors =
/// 12 accumulators + 3 B vectors + 1 broadcast fits the 16 registers of SSE.
/// </summary>
internal readonly unsafe struct SimdPortable<T> : ISimd<T, Vector128<T>> where T : unmanaged
{
    public static int Width => Vector128<T>.Count;
    public static int RowsPerTile => 4;
    public static int VectorsPerTile => 3;
    public static bool IsSupported => Vector128.IsHardwareAccelerated;
    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* p, Vector128<T> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> x, Vector128<T> y, Vector128<T> acc) => (x * y) + acc;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> x, Vector128<T> y) => x * y;

    public static Vector128<T> FirstLanes(int count) => Vector128<T>.Zero;

    // No portable masked memory access: go element by element (edge tiles only).
    public static Vector128<T> LoadFirst(T* p, Vector128<T> mask, int count)
    {
        Vector128<T> v = Vector128<T>.Zero;
        for (int i = 0; i < count; i++)
        {
            v = v.WithElement(i, p[i]);
        }
        return v;
    }

    public static void StoreFirst(T* p, Vector128<T> v, Vector128<T> mask, int count)
    {
        for (int i = 0; i < count; i++)
        {
            p[i] = v.GetElement(i);
        }
    }
}
