using System.Runtime.CompilerServices;

namespace FastMlp.Numerics;

internal readonly struct C8 : IConstant { public static int Value => 8; }

/// <summary>
/// M = 1 (one input row, the inference case): c = alpha·a·B + beta·c for row-major B, sweeping
/// B's rows front to back (a pure sequential stream) with up to 8 vectors of c in registers.
/// </summary>
internal static unsafe class GemvKernel<T, TV, TS>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TV : struct
    where TS : struct, ISimd<T, TV>
{
    public static void Run(int n, int k, T alpha, T* a, nint aK, T* b, nint ldb, T beta, T* c)
    {
        int w = TS.Width;
        int j = 0;
        for (; j + (8 * w) <= n; j += 8 * w)
        {
            Chunk<C8>(k, a, aK, b + j, ldb, c + j, alpha, beta);
        }
        if (j + (4 * w) <= n)
        {
            Chunk<C4>(k, a, aK, b + j, ldb, c + j, alpha, beta);
            j += 4 * w;
        }
        if (j + (2 * w) <= n)
        {
            Chunk<C2>(k, a, aK, b + j, ldb, c + j, alpha, beta);
            j += 2 * w;
        }
        if (j + w <= n)
        {
            Chunk<C1>(k, a, aK, b + j, ldb, c + j, alpha, beta);
            j += w;
        }
        if (j < n)
        {
            Tail(n - j, k, a, aK, b + j, ldb, c + j, alpha, beta);
        }
    }

    /// <summary>The last &lt; Width columns: one masked vector, two accumulators to hide FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tail(int count, int k, T* a, nint aK, T* b, nint ldb, T* c, T alpha, T beta)
    {
        TV mask = TS.FirstLanes(count);
        TV even = TS.Zero, odd = TS.Zero;
        int p = 0;
        for (; p + 1 < k; p += 2)
        {
            even = TS.MultiplyAdd(TS.Broadcast(*a), TS.LoadFirst(b, mask, count), even);
            odd = TS.MultiplyAdd(TS.Broadcast(a[aK]), TS.LoadFirst(b + ldb, mask, count), odd);
            a += 2 * aK;
            b += 2 * ldb;
        }
        if (p < k)
        {
            even = TS.MultiplyAdd(TS.Broadcast(*a), TS.LoadFirst(b, mask, count), even);
        }
        TV sum = TS.Multiply(TS.Broadcast(alpha), TS.MultiplyAdd(odd, TS.Broadcast(T.One), even));
        TV result = T.IsZero(beta) ? sum : TS.MultiplyAdd(TS.LoadFirst(c, mask, count), TS.Broadcast(beta), sum);
        TS.StoreFirst(c, result, mask, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Chunk<TN>(int k, T* a, nint aK, T* b, nint ldb, T* c, T alpha, T beta)
        where TN : struct, IConstant
    {
        nint w = TS.Width;
        TV c0 = TS.Zero, c1 = TS.Zero, c2 = TS.Zero, c3 = TS.Zero, c4 = TS.Zero, c5 = TS.Zero, c6 = TS.Zero, c7 = TS.Zero;
        for (int p = 0; p < k; p++)
        {
            TV x = TS.Broadcast(*a);
            c0 = TS.MultiplyAdd(x, TS.Load(b), c0);
            if (TN.Value > 1) c1 = TS.MultiplyAdd(x, TS.Load(b + w), c1);
            if (TN.Value > 2) c2 = TS.MultiplyAdd(x, TS.Load(b + (2 * w)), c2);
            if (TN.Value > 3) c3 = TS.MultiplyAdd(x, TS.Load(b + (3 * w)), c3);
            if (TN.Value > 4) c4 = TS.MultiplyAdd(x, TS.Load(b + (4 * w)), c4);
            if (TN.Value > 5) c5 = TS.MultiplyAdd(x, TS.Load(b + (5 * w)), c5);
            if (TN.Value > 6) c6 = TS.MultiplyAdd(x, TS.Load(b + (6 * w)), c6);
            if (TN.Value > 7) c7 = TS.MultiplyAdd(x, TS.Load(b + (7 * w)), c7);
            a += aK;
            b += ldb;
        }
        TV av = TS.Broadcast(alpha), bv = TS.Broadcast(beta);
        bool load = !T.IsZero(beta);
        Put(c, c0, av, bv, load);
        if (TN.Value > 1) Put(c + w, c1, av, bv, load);
        if (TN.Value > 2) Put(c + (2 * w), c2, av, bv, load);
        if (TN.Value > 3) Put(c + (3 * w), c3, av, bv, load);
        if (TN.Value > 4) Put(c + (4 * w), c4, av, bv, load);
        if (TN.Value > 5) Put(c + (5 * w), c5, av, bv, load);
        if (TN.Value > 6) Put(c + (6 * w), c6, av, bv, load);
        if (TN.Value > 7) Put(c + (7 * w), c7, av, bv, load);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(T* d, TV acc, TV alpha, TV beta, bool load) =>
        TS.Store(d, load ? TS.MultiplyAdd(TS.Load(d), beta, TS.Multiply(acc, alpha)) : TS.Multiply(acc, alpha));
}
