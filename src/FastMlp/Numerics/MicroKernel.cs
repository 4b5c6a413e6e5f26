// The unrolled tile body below is regular by design: row r, vector v accumulates in c{r}{v}.
// Guards on TR/TN/TTail are compile-time constants, so each instantiation keeps only what it uses.
using System.Runtime.CompilerServices;

namespace FastMlp.Numerics;

/// <summary>
/// The register-blocked GEMM micro-kernel shared by every SIMD path: C[rows × cols] (one tile) =
/// alpha·Σₚ A[r, p]·B[p, ·] + beta·C, with up to 6 rows (broadcast from A) × 4 vectors (loaded from B)
/// of accumulators held in registers over the whole k-slice.
/// A is addressed by strides (so plain and transposed A work without copying); B rows are
/// contiguous vectors at a k-stride (plain row-major B or a packed panel). A last, partial vector
/// of columns is loaded and stored with lane masks, so edge tiles never touch memory past C or B.
/// </summary>
internal static unsafe class MicroKernel<T, TV, TS>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TV : struct
    where TS : struct, ISimd<T, TV>
{
    /// <summary>
    /// Runs one tile of <paramref name="rows"/> ≤ 6 rows and <paramref name="cols"/> ≤ 4·Width columns.
    /// </summary>
    public static void Run(int rows, int cols, int kc, T* a, nint aRow, nint aK, T* b, nint bK,
                           T* c, nint ldc, T alpha, T beta)
    {
        switch (rows)
        {
            case 1: ByVectors<C1>(cols, kc, a, aRow, aK, b, bK, c, ldc, alpha, beta); break;
            case 2: ByVectors<C2>(cols, kc, a, aRow, aK, b, bK, c, ldc, alpha, beta); break;
            case 3: ByVectors<C3>(cols, kc, a, aRow, aK, b, bK, c, ldc, alpha, beta); break;
            case 4: ByVectors<C4>(cols, kc, a, aRow, aK, b, bK, c, ldc, alpha, beta); break;
            case 5: ByVectors<C5>(cols, kc, a, aRow, aK, b, bK, c, ldc, alpha, beta); break;
            default: ByVectors<C6>(cols, kc, a, aRow, aK, b, bK, c, ldc, alpha, beta); break;
        }
    }

    private static void ByVectors<TR>(int cols, int kc, T* a, nint aRow, nint aK, T* b, nint bK,
                                      T* c, nint ldc, T alpha, T beta)
        where TR : struct, IConstant
    {
        int w = TS.Width;
        int vectors = (cols + w - 1) / w;
        int tail = cols - ((vectors - 1) * w);
        if (tail == w)
        {
            switch (vectors)
            {
                case 1: Tile<TR, C1, C0>(kc, a, aRow, aK, b, bK, c, ldc, w, alpha, beta); break;
                case 2: Tile<TR, C2, C0>(kc, a, aRow, aK, b, bK, c, ldc, w, alpha, beta); break;
                case 3: Tile<TR, C3, C0>(kc, a, aRow, aK, b, bK, c, ldc, w, alpha, beta); break;
                default: Tile<TR, C4, C0>(kc, a, aRow, aK, b, bK, c, ldc, w, alpha, beta); break;
            }
        }
        else
        {
            switch (vectors)
            {
                case 1: Tile<TR, C1, C1>(kc, a, aRow, aK, b, bK, c, ldc, tail, alpha, beta); break;
                case 2: Tile<TR, C2, C1>(kc, a, aRow, aK, b, bK, c, ldc, tail, alpha, beta); break;
                case 3: Tile<TR, C3, C1>(kc, a, aRow, aK, b, bK, c, ldc, tail, alpha, beta); break;
                default: Tile<TR, C4, C1>(kc, a, aRow, aK, b, bK, c, ldc, tail, alpha, beta); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TR, TN, TTail>(int kc, T* a, nint aRow, nint aK, T* b, nint bK,
                                            T* c, nint ldc, int tail, T alpha, T beta)
        where TR : struct, IConstant
        where TN : struct, IConstant
        where TTail : struct, IConstant
    {
        nint w = TS.Width;
        TV mask = TTail.Value == 1 ? TS.FirstLanes(tail) : TS.Zero;

        TV c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c03 = TS.Zero;
        TV c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c13 = TS.Zero;
        TV c20 = TS.Zero, c21 = TS.Zero, c22 = TS.Zero, c23 = TS.Zero;
        TV c30 = TS.Zero, c31 = TS.Zero, c32 = TS.Zero, c33 = TS.Zero;
        TV c40 = TS.Zero, c41 = TS.Zero, c42 = TS.Zero, c43 = TS.Zero;
        TV c50 = TS.Zero, c51 = TS.Zero, c52 = TS.Zero, c53 = TS.Zero;
        T* a0 = a;
        T* a1 = a + (1 * aRow);
        T* a2 = a + (2 * aRow);
        T* a3 = a + (3 * aRow);
        T* a4 = a + (4 * aRow);
        T* a5 = a + (5 * aRow);
        nint off = 0;
        for (int p = 0; p < kc; p++)
        {
            TV b0 = (TTail.Value == 1 && TN.Value == 1) ? TS.LoadFirst(b + (0 * w), mask, tail) : TS.Load(b + (0 * w));
            TV b1 = TN.Value > 1 ? ((TTail.Value == 1 && TN.Value == 2) ? TS.LoadFirst(b + (1 * w), mask, tail) : TS.Load(b + (1 * w))) : TS.Zero;
            TV b2 = TN.Value > 2 ? ((TTail.Value == 1 && TN.Value == 3) ? TS.LoadFirst(b + (2 * w), mask, tail) : TS.Load(b + (2 * w))) : TS.Zero;
            TV b3 = TN.Value > 3 ? ((TTail.Value == 1 && TN.Value == 4) ? TS.LoadFirst(b + (3 * w), mask, tail) : TS.Load(b + (3 * w))) : TS.Zero;
            TV x;
            {
                x = TS.Broadcast(a0[off]);
                c00 = TS.MultiplyAdd(x, b0, c00);
                if (TN.Value > 1) c01 = TS.MultiplyAdd(x, b1, c01);
                if (TN.Value > 2) c02 = TS.MultiplyAdd(x, b2, c02);
                if (TN.Value > 3) c03 = TS.MultiplyAdd(x, b3, c03);
            }
            if (TR.Value > 1)
            {
                x = TS.Broadcast(a1[off]);
                c10 = TS.MultiplyAdd(x, b0, c10);
                if (TN.Value > 1) c11 = TS.MultiplyAdd(x, b1, c11);
                if (TN.Value > 2) c12 = TS.MultiplyAdd(x, b2, c12);
                if (TN.Value > 3) c13 = TS.MultiplyAdd(x, b3, c13);
            }
            if (TR.Value > 2)
            {
                x = TS.Broadcast(a2[off]);
                c20 = TS.MultiplyAdd(x, b0, c20);
                if (TN.Value > 1) c21 = TS.MultiplyAdd(x, b1, c21);
                if (TN.Value > 2) c22 = TS.MultiplyAdd(x, b2, c22);
                if (TN.Value > 3) c23 = TS.MultiplyAdd(x, b3, c23);
            }
            if (TR.Value > 3)
            {
                x = TS.Broadcast(a3[off]);
                c30 = TS.MultiplyAdd(x, b0, c30);
                if (TN.Value > 1) c31 = TS.MultiplyAdd(x, b1, c31);
                if (TN.Value > 2) c32 = TS.MultiplyAdd(x, b2, c32);
                if (TN.Value > 3) c33 = TS.MultiplyAdd(x, b3, c33);
            }
            if (TR.Value > 4)
            {
                x = TS.Broadcast(a4[off]);
                c40 = TS.MultiplyAdd(x, b0, c40);
                if (TN.Value > 1) c41 = TS.MultiplyAdd(x, b1, c41);
                if (TN.Value > 2) c42 = TS.MultiplyAdd(x, b2, c42);
                if (TN.Value > 3) c43 = TS.MultiplyAdd(x, b3, c43);
            }
            if (TR.Value > 5)
            {
                x = TS.Broadcast(a5[off]);
                c50 = TS.MultiplyAdd(x, b0, c50);
                if (TN.Value > 1) c51 = TS.MultiplyAdd(x, b1, c51);
                if (TN.Value > 2) c52 = TS.MultiplyAdd(x, b2, c52);
                if (TN.Value > 3) c53 = TS.MultiplyAdd(x, b3, c53);
            }
            off += aK;
            b += bK;
        }

        TV av = TS.Broadcast(alpha);
        TV bv = TS.Broadcast(beta);
        bool load = !T.IsZero(beta);

        {
            T* d = c + (0 * ldc);
            Put<TTail>(TN.Value == 1, d + (0 * w), c00, av, bv, load, mask, tail);
            if (TN.Value > 1) Put<TTail>(TN.Value == 2, d + (1 * w), c01, av, bv, load, mask, tail);
            if (TN.Value > 2) Put<TTail>(TN.Value == 3, d + (2 * w), c02, av, bv, load, mask, tail);
            if (TN.Value > 3) Put<TTail>(TN.Value == 4, d + (3 * w), c03, av, bv, load, mask, tail);
        }
        if (TR.Value > 1)
        {
            T* d = c + (1 * ldc);
            Put<TTail>(TN.Value == 1, d + (0 * w), c10, av, bv, load, mask, tail);
            if (TN.Value > 1) Put<TTail>(TN.Value == 2, d + (1 * w), c11, av, bv, load, mask, tail);
            if (TN.Value > 2) Put<TTail>(TN.Value == 3, d + (2 * w), c12, av, bv, load, mask, tail);
            if (TN.Value > 3) Put<TTail>(TN.Value == 4, d + (3 * w), c13, av, bv, load, mask, tail);
        }
        if (TR.Value > 2)
        {
            T* d = c + (2 * ldc);
            Put<TTail>(TN.Value == 1, d + (0 * w), c20, av, bv, load, mask, tail);
            if (TN.Value > 1) Put<TTail>(TN.Value == 2, d + (1 * w), c21, av, bv, load, mask, tail);
            if (TN.Value > 2) Put<TTail>(TN.Value == 3, d + (2 * w), c22, av, bv, load, mask, tail);
            if (TN.Value > 3) Put<TTail>(TN.Value == 4, d + (3 * w), c23, av, bv, load, mask, tail);
        }
        if (TR.Value > 3)
        {
            T* d = c + (3 * ldc);
            Put<TTail>(TN.Value == 1, d + (0 * w), c30, av, bv, load, mask, tail);
            if (TN.Value > 1) Put<TTail>(TN.Value == 2, d + (1 * w), c31, av, bv, load, mask, tail);
            if (TN.Value > 2) Put<TTail>(TN.Value == 3, d + (2 * w), c32, av, bv, load, mask, tail);
            if (TN.Value > 3) Put<TTail>(TN.Value == 4, d + (3 * w), c33, av, bv, load, mask, tail);
        }
        if (TR.Value > 4)
        {
            T* d = c + (4 * ldc);
            Put<TTail>(TN.Value == 1, d + (0 * w), c40, av, bv, load, mask, tail);
            if (TN.Value > 1) Put<TTail>(TN.Value == 2, d + (1 * w), c41, av, bv, load, mask, tail);
            if (TN.Value > 2) Put<TTail>(TN.Value == 3, d + (2 * w), c42, av, bv, load, mask, tail);
            if (TN.Value > 3) Put<TTail>(TN.Value == 4, d + (3 * w), c43, av, bv, load, mask, tail);
        }
        if (TR.Value > 5)
        {
            T* d = c + (5 * ldc);
            Put<TTail>(TN.Value == 1, d + (0 * w), c50, av, bv, load, mask, tail);
            if (TN.Value > 1) Put<TTail>(TN.Value == 2, d + (1 * w), c51, av, bv, load, mask, tail);
            if (TN.Value > 2) Put<TTail>(TN.Value == 3, d + (2 * w), c52, av, bv, load, mask, tail);
            if (TN.Value > 3) Put<TTail>(TN.Value == 4, d + (3 * w), c53, av, bv, load, mask, tail);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TTail>(bool last, T* d, TV acc, TV alpha, TV beta, bool load, TV mask, int tail)
        where TTail : struct, IConstant
    {
        if (TTail.Value == 1 && last)
        {
            TV r = load ? TS.MultiplyAdd(TS.LoadFirst(d, mask, tail), beta, TS.Multiply(acc, alpha)) : TS.Multiply(acc, alpha);
            TS.StoreFirst(d, r, mask, tail);
        }
        else
        {
            TS.Store(d, load ? TS.MultiplyAdd(TS.Load(d), beta, TS.Multiply(acc, alpha)) : TS.Multiply(acc, alpha));
        }
    }
}
