// The unrolled tile body is regular by design: row r, vector v accumulates in c{r}{v}; guards on
// TR/TN are compile-time constants, so each instantiation keeps only what it uses.
using System.Runtime.CompilerServices;

namespace FastMlp.Numerics;

/// <summary>
/// The int8 product shared by every SIMD path: C[rows × n] (int32) = A[rows × 4·quads] (bytes in
/// [0, 127]) · W (packed: quad q, column j at W[(q·n + j)·4 .. +4], signed bytes). n is a multiple of
/// 16 (weights are zero-padded to it), so every vector is whole: no masks, no tails. Tiles of up to 4
/// rows × 4 vectors of accumulators; one row (the inference case) streams W once with up to 8 vectors.
/// </summary>
internal static unsafe class Int8Kernel<TV, TS>
    where TV : struct
    where TS : struct, IInt8Simd<TV>
{
    public static void Multiply(int rows, int n, int quads, byte* a, nint lda, sbyte* w, int* c, nint ldc)
    {
        int width = TS.Width;
        nint ldw = (nint)n * 4;
        if (rows == 1)
        {
            int j = 0;
            for (; j + (8 * width) <= n; j += 8 * width)
            {
                Tile<C1, C8>(quads, a, lda, w + (j * 4), ldw, c + j, ldc);
            }
            for (; j < n; j += 4 * width)
            {
                ByVectors<C1>(Math.Min(4, (n - j) / width), quads, a, lda, w + (j * 4), ldw, c + j, ldc);
            }
            return;
        }
        for (int j = 0; j < n; j += 4 * width)
        {
            int vectors = Math.Min(4, (n - j) / width);
            int i = 0;
            for (; i + 4 <= rows; i += 4)
            {
                ByVectors<C4>(vectors, quads, a + (i * lda), lda, w + (j * 4), ldw, c + (i * ldc) + j, ldc);
            }
            switch (rows - i)
            {
                case 1: ByVectors<C1>(vectors, quads, a + (i * lda), lda, w + (j * 4), ldw, c + (i * ldc) + j, ldc); break;
                case 2: ByVectors<C2>(vectors, quads, a + (i * lda), lda, w + (j * 4), ldw, c + (i * ldc) + j, ldc); break;
                case 3: ByVectors<C3>(vectors, quads, a + (i * lda), lda, w + (j * 4), ldw, c + (i * ldc) + j, ldc); break;
            }
        }
    }

    private static void ByVectors<TR>(int vectors, int quads, byte* a, nint lda, sbyte* w, nint ldw, int* c, nint ldc)
        where TR : struct, IConstant
    {
        switch (vectors)
        {
            case 1: Tile<TR, C1>(quads, a, lda, w, ldw, c, ldc); break;
            case 2: Tile<TR, C2>(quads, a, lda, w, ldw, c, ldc); break;
            case 3: Tile<TR, C3>(quads, a, lda, w, ldw, c, ldc); break;
            default: Tile<TR, C4>(quads, a, lda, w, ldw, c, ldc); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TR, TN>(int quads, byte* a, nint lda, sbyte* w, nint ldw, int* c, nint ldc)
        where TR : struct, IConstant
        where TN : struct, IConstant
    {
        nint v = TS.Width * 4;
        TV c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c03 = TS.Zero, c04 = TS.Zero, c05 = TS.Zero, c06 = TS.Zero, c07 = TS.Zero;
        TV c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c13 = TS.Zero;
        TV c20 = TS.Zero, c21 = TS.Zero, c22 = TS.Zero, c23 = TS.Zero;
        TV c30 = TS.Zero, c31 = TS.Zero, c32 = TS.Zero, c33 = TS.Zero;
        byte* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda);
        for (int q = 0; q < quads; q++)
        {
            TV w0 = TS.Load(w);
            TV w1 = TN.Value > 1 ? TS.Load(w + v) : TS.Zero;
            TV w2 = TN.Value > 2 ? TS.Load(w + (2 * v)) : TS.Zero;
            TV w3 = TN.Value > 3 ? TS.Load(w + (3 * v)) : TS.Zero;
            TV x = TS.BroadcastQuad(a0);
            c00 = TS.DotAdd(c00, x, w0);
            if (TN.Value > 1) c01 = TS.DotAdd(c01, x, w1);
            if (TN.Value > 2) c02 = TS.DotAdd(c02, x, w2);
            if (TN.Value > 3) c03 = TS.DotAdd(c03, x, w3);
            if (TN.Value > 4)
            {
                // One row only (TR = 1): four more column vectors instead of more rows.
                c04 = TS.DotAdd(c04, x, TS.Load(w + (4 * v)));
                c05 = TS.DotAdd(c05, x, TS.Load(w + (5 * v)));
                c06 = TS.DotAdd(c06, x, TS.Load(w + (6 * v)));
                c07 = TS.DotAdd(c07, x, TS.Load(w + (7 * v)));
            }
            if (TR.Value > 1)
            {
                x = TS.BroadcastQuad(a1);
                c10 = TS.DotAdd(c10, x, w0);
                if (TN.Value > 1) c11 = TS.DotAdd(c11, x, w1);
                if (TN.Value > 2) c12 = TS.DotAdd(c12, x, w2);
                if (TN.Value > 3) c13 = TS.DotAdd(c13, x, w3);
            }
            if (TR.Value > 2)
            {
                x = TS.BroadcastQuad(a2);
                c20 = TS.DotAdd(c20, x, w0);
                if (TN.Value > 1) c21 = TS.DotAdd(c21, x, w1);
                if (TN.Value > 2) c22 = TS.DotAdd(c22, x, w2);
                if (TN.Value > 3) c23 = TS.DotAdd(c23, x, w3);
            }
            if (TR.Value > 3)
            {
                x = TS.BroadcastQuad(a3);
                c30 = TS.DotAdd(c30, x, w0);
                if (TN.Value > 1) c31 = TS.DotAdd(c31, x, w1);
                if (TN.Value > 2) c32 = TS.DotAdd(c32, x, w2);
                if (TN.Value > 3) c33 = TS.DotAdd(c33, x, w3);
            }
            a0 += 4; a1 += 4; a2 += 4; a3 += 4;
            w += ldw;
        }
        nint s = TS.Width;
        TS.Store(c, c00);
        if (TN.Value > 1) TS.Store(c + s, c01);
        if (TN.Value > 2) TS.Store(c + (2 * s), c02);
        if (TN.Value > 3) TS.Store(c + (3 * s), c03);
        if (TN.Value > 4)
        {
            TS.Store(c + (4 * s), c04);
            TS.Store(c + (5 * s), c05);
            TS.Store(c + (6 * s), c06);
            TS.Store(c + (7 * s), c07);
        }
        if (TR.Value > 1)
        {
            int* d = c + ldc;
            TS.Store(d, c10);
            if (TN.Value > 1) TS.Store(d + s, c11);
            if (TN.Value > 2) TS.Store(d + (2 * s), c12);
            if (TN.Value > 3) TS.Store(d + (3 * s), c13);
        }
        if (TR.Value > 2)
        {
            int* d = c + (2 * ldc);
            TS.Store(d, c20);
            if (TN.Value > 1) TS.Store(d + s, c21);
            if (TN.Value > 2) TS.Store(d + (2 * s), c22);
            if (TN.Value > 3) TS.Store(d + (3 * s), c23);
        }
        if (TR.Value > 3)
        {
            int* d = c + (3 * ldc);
            TS.Store(d, c30);
            if (TN.Value > 1) TS.Store(d + s, c31);
            if (TN.Value > 2) TS.Store(d + (2 * s), c32);
            if (TN.Value > 3) TS.Store(d + (3 * s), c33);
        }
    }
}

/// <summary>The scalar path over the same packed layout as <see cref="Int8Kernel{TV, TS}"/>.</summary>
internal static unsafe class Int8Scalar
{
    public static void Multiply(int rows, int n, int quads, byte* a, nint lda, sbyte* w, int* c, nint ldc)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int sum = 0;
                for (int q = 0; q < quads; q++)
                {
                    sbyte* wq = w + ((((nint)q * n) + j) * 4);
                    byte* aq = a + (i * lda) + (q * 4);
                    sum += (aq[0] * wq[0]) + (aq[1] * wq[1]) + (aq[2] * wq[2]) + (aq[3] * wq[3]);
                }
                c[(i * ldc) + j] = sum;
            }
        }
    }
}
