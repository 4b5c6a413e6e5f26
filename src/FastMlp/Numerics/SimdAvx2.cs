using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastMlp.Numerics;

/// <summary>
/// AVX2 + FMA path: 256-bit FMA. Tile 6 rows × 2 ymm (6×16 floats, 6×8 doubles) = 12 accumulators,
/// 2 B vectors and 1 broadcast: 15 of the 16 ymm registers (the classic Haswell kernel shape).
/// </summary>
internal readonly unsafe struct SimdAvx2<T> : ISimd<T, Vector256<T>> where T : unmanaged
{
    public static int Width => Vector256<T>.Count;
    public static int RowsPerTile => 6;
    public static int VectorsPerTile => 2;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;
    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* p, Vector256<T> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }
        return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> x, Vector256<T> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FirstLanes(int count) =>
        typeof(T) == typeof(float)
            ? Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).As<int, T>()
            : Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).As<long, T>();

    // vmaskmovps/pd suppress faults on masked-off lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LoadFirst(T* p, Vector256<T> mask, int count) =>
        typeof(T) == typeof(float)
            ? Avx.MaskLoad((float*)p, mask.AsSingle()).As<float, T>()
            : Avx.MaskLoad((double*)p, mask.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(T* p, Vector256<T> v, Vector256<T> mask, int count)
    {
        if (typeof(T) == typeof(float))
        {
            Avx.MaskStore((float*)p, mask.AsSingle(), v.AsSingle());
        }
        else
        {
            Avx.MaskStore((double*)p, mask.AsDouble(), v.AsDouble());
        }
    }
}
