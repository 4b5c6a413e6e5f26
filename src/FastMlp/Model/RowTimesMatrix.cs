using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastMlp;

/// <summary>
/// y[n] = x[k]·W[k×n] for one row (inference of a single example): W is streamed once, row by row, into
/// four register accumulators per column block, which beats a general GEMM (packing, blocking) at m = 1.
/// </summary>
internal static class RowTimesMatrix<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<T> x, ReadOnlySpan<T> w, int k, int n, Span<T> y)
    {
        x = x.Slice(0, k);
        w = w.Slice(0, k * n);
        y = y.Slice(0, n);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            int width = Vector512<T>.Count;
            // Eight independent accumulator chains hide the FMA latency (4 cycles) at two FMAs per cycle.
            for (; j <= n - 8 * width; j += 8 * width)
            {
                Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int i = 0; i < k; i++)
                {
                    var xi = Vector512.Create(Unsafe.Add(ref xr, i));
                    ref T row = ref Unsafe.Add(ref wr, i * n + j);
                    a0 += xi * Vector512.LoadUnsafe(ref row);
                    a1 += xi * Vector512.LoadUnsafe(ref row, (nuint)width);
                    a2 += xi * Vector512.LoadUnsafe(ref row, (nuint)(2 * width));
                    a3 += xi * Vector512.LoadUnsafe(ref row, (nuint)(3 * width));
                    a4 += xi * Vector512.LoadUnsafe(ref row, (nuint)(4 * width));
                    a5 += xi * Vector512.LoadUnsafe(ref row, (nuint)(5 * width));
                    a6 += xi * Vector512.LoadUnsafe(ref row, (nuint)(6 * width));
                    a7 += xi * Vector512.LoadUnsafe(ref row, (nuint)(7 * width));
                }
                ref T yj = ref Unsafe.Add(ref yr, j);
                a0.StoreUnsafe(ref yj);
                a1.StoreUnsafe(ref yj, (nuint)width);
                a2.StoreUnsafe(ref yj, (nuint)(2 * width));
                a3.StoreUnsafe(ref yj, (nuint)(3 * width));
                a4.StoreUnsafe(ref yj, (nuint)(4 * width));
                a5.StoreUnsafe(ref yj, (nuint)(5 * width));
                a6.StoreUnsafe(ref yj, (nuint)(6 * width));
                a7.StoreUnsafe(ref yj, (nuint)(7 * width));
            }
            for (; j <= n - 4 * width; j += 4 * width)
            {
                Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int i = 0; i < k; i++)
                {
                    var xi = Vector512.Create(Unsafe.Add(ref xr, i));
                    nuint row = (nuint)(i * n + j);
                    a0 += xi * Vector512.LoadUnsafe(ref wr, row);
                    a1 += xi * Vector512.LoadUnsafe(ref wr, row + (nuint)width);
                    a2 += xi * Vector512.LoadUnsafe(ref wr, row + (nuint)(2 * width));
                    a3 += xi * Vector512.LoadUnsafe(ref wr, row + (nuint)(3 * width));
                }
                a0.StoreUnsafe(ref yr, (nuint)j);
                a1.StoreUnsafe(ref yr, (nuint)(j + width));
                a2.StoreUnsafe(ref yr, (nuint)(j + 2 * width));
                a3.StoreUnsafe(ref yr, (nuint)(j + 3 * width));
            }
            for (; j <= n - width; j += width)
            {
                Vector512<T> a0 = default;
                for (int i = 0; i < k; i++)
                {
                    a0 += Vector512.Create(Unsafe.Add(ref xr, i)) * Vector512.LoadUnsafe(ref wr, (nuint)(i * n + j));
                }
                a0.StoreUnsafe(ref yr, (nuint)j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            int width = Vector256<T>.Count;
            for (; j <= n - 2 * width; j += 2 * width)
            {
                Vector256<T> a0 = default, a1 = default;
                for (int i = 0; i < k; i++)
                {
                    var xi = Vector256.Create(Unsafe.Add(ref xr, i));
                    nuint row = (nuint)(i * n + j);
                    a0 += xi * Vector256.LoadUnsafe(ref wr, row);
                    a1 += xi * Vector256.LoadUnsafe(ref wr, row + (nuint)width);
                }
                a0.StoreUnsafe(ref yr, (nuint)j);
                a1.StoreUnsafe(ref yr, (nuint)(j + width));
            }
            for (; j <= n - width; j += width)
            {
                Vector256<T> a0 = default;
                for (int i = 0; i < k; i++)
                {
                    a0 += Vector256.Create(Unsafe.Add(ref xr, i)) * Vector256.LoadUnsafe(ref wr, (nuint)(i * n + j));
                }
                a0.StoreUnsafe(ref yr, (nuint)j);
            }
        }
        // Remaining columns (fewer than one vector): full-vector loads that run into the next row of W;
        // the extra lanes are discarded. Rows whose load would pass the end of W go scalar below.
        int start = 0;
        if (j < n && Vector512.IsHardwareAccelerated && n - j > Vector256<T>.Count && (long)k * n >= Vector512<T>.Count)
        {
            int width = Vector512<T>.Count;
            Vector512<T> a0 = default;
            for (; start < k && start * n + j + width <= k * n; start++)
            {
                a0 += Vector512.Create(Unsafe.Add(ref xr, start)) * Vector512.LoadUnsafe(ref wr, (nuint)(start * n + j));
            }
            Span<T> lanes = stackalloc T[Vector512<T>.Count];
            a0.CopyTo(lanes);
            lanes.Slice(0, n - j).CopyTo(y.Slice(j));
        }
        else if (j < n && Vector256.IsHardwareAccelerated && (long)k * n >= Vector256<T>.Count)
        {
            int width = Vector256<T>.Count;
            Vector256<T> a0 = default;
            for (; start < k && start * n + j + width <= k * n; start++)
            {
                a0 += Vector256.Create(Unsafe.Add(ref xr, start)) * Vector256.LoadUnsafe(ref wr, (nuint)(start * n + j));
            }
            Span<T> lanes = stackalloc T[Vector256<T>.Count];
            a0.CopyTo(lanes);
            lanes.Slice(0, n - j).CopyTo(y.Slice(j));
        }
        else if (j < n)
        {
            y.Slice(j).Clear();
        }
        if (j < n)
        {
            for (int i = start; i < k; i++)
            {
                T xi = Unsafe.Add(ref xr, i);
                for (int c = j; c < n; c++)
                {
                    Unsafe.Add(ref yr, c) += xi * Unsafe.Add(ref wr, i * n + c);
                }
            }
        }
    }
}
