using System.Runtime.CompilerServices;

namespace FastMlp.Numerics;

/// <summary>
/// Goto/BLIS blocking around the shared micro-kernel for one SIMD path.
/// Two strategies:
/// <list type="bullet">
/// <item><b>Direct</b> (small and mid-size B, not transposed): no packing; the kernel reads A through
/// strides and B's rows in place (the last partial vector with lane masks), so the whole call is
/// just the tiles. M = 1 goes to <see cref="GemvKernel{T, TV, TS}"/>.</item>
/// <item><b>Packed</b>: B is packed per KC×NC block into NR-wide panels (L2-resident); each 6-row
/// micro-panel of A (L1-resident) sweeps all of the block's panels.</item>
/// </list>
/// Pre-packed B (<see cref="PackedMatrix{T}"/>) runs the packed strategy without packing B.
/// </summary>
internal static unsafe class GemmDriver<T, TV, TS>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TV : struct
    where TS : struct, ISimd<T, TV>
{
    /// <summary>Depth of a packed k-slice: a 6×384 A micro-panel is 9 KB (float), inside L1 (tuned on Zen 4: 256–512 all within 5 %).</summary>
    public const int KC = 384;

    /// <summary>Columns of B packed per block: a KC×NC float block is 768 KB, inside Zen 4's 1 MB L2.</summary>
    public const int NC = 512;

    /// <summary>k-slice of the direct path: the A micro-panel read in place stays in L1.</summary>
    public const int KCDirect = 512;

    /// <summary>Largest B (bytes) that the direct path leaves unpacked: it must stay L2-resident.</summary>
    public const long DirectBytes = 1L << 20;

    public static int MR => TS.RowsPerTile;

    public static int NR => TS.VectorsPerTile * TS.Width;

    /// <summary><see cref="NC"/> rounded down to whole panels, so packed panels never straddle blocks.</summary>
    public static int NCBlock => NC / NR * NR;

    /// <summary>Below this many flops (2·m·n·k) a call stays on one thread: waking a worker costs more.</summary>
    public const double ParallelFlops = 1e6;

    public static void Multiply(bool transA, bool transB, int m, int n, int k, T alpha,
                                T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, WorkerPool? pool = null)
    {
        GemmStrategy strategy = Choose(transB, m, n, k, ldb);
        Run(pool, strategy, transA, transB, m, n, k, alpha, a, lda, b, ldb, null, 0, beta, c, ldc);
    }

    /// <summary>C = alpha·op(A)·B + beta·C with B already packed by <see cref="PackAll"/>.</summary>
    public static void MultiplyPacked(bool transA, int m, int n, int k, T alpha, T* a, nint lda,
                                      T* packedB, T beta, T* c, nint ldc, WorkerPool? pool = null) =>
        Run(pool, GemmStrategy.Packed, transA, false, m, n, k, alpha, a, lda, null, 0, packedB, RoundUp(n, NR), beta, c, ldc);

    /// <summary>
    /// Picks the strategy from the whole problem. Parallel parts reuse the caller's choice so every
    /// element of C is summed in the same k-slices, whatever the thread count: results are bit-identical.
    /// </summary>
    private static GemmStrategy Choose(bool transB, int m, int n, int k, nint ldb) =>
        transB || GemmTuning.ForcePacked ? GemmStrategy.Packed
        : m == 1 ? GemmStrategy.Gemv
        : UseDirect(m, n, k, ldb) ? GemmStrategy.Direct
        : GemmStrategy.Packed;

    private struct Job
    {
        public GemmStrategy Strategy;
        public bool TransA, TransB, SplitColumns;
        public int M, N, K, Unit;
        public T Alpha, Beta;
        public T* A, B, C, Prepacked;
        public nint Lda, Ldb, Ldc;
        public int PrepackedWidth;
    }

    private static void Run(WorkerPool? pool, GemmStrategy strategy, bool transA, bool transB, int m, int n, int k,
                            T alpha, T* a, nint lda, T* b, nint ldb, T* prepacked, int prepackedWidth,
                            T beta, T* c, nint ldc)
    {
        int parts = 1;
        bool splitColumns = false;
        int unit = 1;
        if (pool is not null && pool.Threads > 1 && 2.0 * m * n * k >= ParallelFlops)
        {
            // Columns in whole panels (vectors for GEMV) keep packed panels and masked tails where they
            // were; rows in whole tiles. Never split k: that would change the summation order.
            int columnUnit = strategy == GemmStrategy.Gemv ? TS.Width : NR;
            if (n >= 2 * columnUnit)
            {
                splitColumns = true;
                unit = columnUnit;
                parts = Math.Min(pool.Threads, (n + unit - 1) / unit);
            }
            else if (m >= 2 * MR)
            {
                unit = MR;
                parts = Math.Min(pool.Threads, (m + unit - 1) / unit);
            }
        }
        if (parts <= 1)
        {
            Execute(strategy, transA, transB, m, n, k, alpha, a, lda, b, ldb, prepacked, 0, prepackedWidth, beta, c, ldc);
            return;
        }
        var job = new Job
        {
            Strategy = strategy,
            TransA = transA,
            TransB = transB,
            SplitColumns = splitColumns,
            M = m,
            N = n,
            K = k,
            Unit = unit,
            Alpha = alpha,
            Beta = beta,
            A = a,
            B = b,
            C = c,
            Prepacked = prepacked,
            Lda = lda,
            Ldb = ldb,
            Ldc = ldc,
            PrepackedWidth = prepackedWidth,
        };
        pool!.Run(&Part, &job, parts);
    }

    private static void Part(int part, int parts, void* state)
    {
        ref Job j = ref *(Job*)state;
        int total = j.SplitColumns ? j.N : j.M;
        int units = (total + j.Unit - 1) / j.Unit;
        int start = (int)((long)part * units / parts) * j.Unit;
        int end = Math.Min(total, (int)((long)(part + 1) * units / parts) * j.Unit);
        if (end <= start)
        {
            return;
        }
        if (j.SplitColumns)
        {
            T* b = j.B == null ? null : j.B + (j.TransB ? start * j.Ldb : start);
            Execute(j.Strategy, j.TransA, j.TransB, j.M, end - start, j.K, j.Alpha, j.A, j.Lda, b, j.Ldb,
                    j.Prepacked, start, j.PrepackedWidth, j.Beta, j.C + start, j.Ldc);
        }
        else
        {
            T* a = j.A + (j.TransA ? start : start * j.Lda);
            Execute(j.Strategy, j.TransA, j.TransB, end - start, j.N, j.K, j.Alpha, a, j.Lda, j.B, j.Ldb,
                    j.Prepacked, 0, j.PrepackedWidth, j.Beta, j.C + (start * j.Ldc), j.Ldc);
        }
    }

    private static void Execute(GemmStrategy strategy, bool transA, bool transB, int m, int n, int k, T alpha,
                                T* a, nint lda, T* b, nint ldb, T* prepacked, int prepackedColumn0, int prepackedWidth,
                                T beta, T* c, nint ldc)
    {
        switch (strategy)
        {
            case GemmStrategy.Gemv:
                GemvKernel<T, TV, TS>.Run(n, k, alpha, a, transA ? lda : 1, b, ldb, beta, c);
                break;
            case GemmStrategy.Direct:
                Direct(transA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            default:
                Packed(transA, transB, m, n, k, alpha, a, lda, b, ldb, prepacked, prepackedColumn0, prepackedWidth, beta, c, ldc);
                break;
        }
    }

    private static bool UseDirect(int m, int n, int k, nint ldb)
    {
        long bytes = (long)k * n * sizeof(T);
        // A row stride of B that is a multiple of 4 KB maps every B row to the same L1 sets.
        bool aliased = ((ldb * sizeof(T)) & 4095) == 0 && k > 64;
        return bytes <= DirectBytes && !aliased || m <= 2;
    }

    private static void Direct(bool transA, int m, int n, int k, T alpha, T* a, nint lda,
                               T* b, nint ldb, T beta, T* c, nint ldc)
    {
        int nr = NR;
        int mr = MR;
        nint aRow = transA ? 1 : lda;
        nint aK = transA ? lda : 1;
        for (int pc = 0; pc < k; pc += KCDirect)
        {
            int kc = Math.Min(KCDirect, k - pc);
            T betaEff = pc == 0 ? beta : T.One;
            T* aSlice = a + (pc * aK);
            T* bSlice = b + (pc * ldb);
            for (int i0 = 0; i0 < m; i0 += mr)
            {
                int rows = Math.Min(mr, m - i0);
                T* ai = aSlice + (i0 * aRow);
                T* ci = c + (i0 * ldc);
                for (int j0 = 0; j0 < n; j0 += nr)
                {
                    MicroKernel<T, TV, TS>.Run(rows, Math.Min(nr, n - j0), kc, ai, aRow, aK, bSlice + j0, ldb,
                                               ci + j0, ldc, alpha, betaEff);
                }
            }
        }
    }

    /// <param name="prepackedColumn0">Column of the whole packed B where this call's columns start (a multiple of NR).</param>
    /// <param name="prepackedWidth">Padded width of the whole packed B (its k-slice stride).</param>
    private static void Packed(bool transA, bool transB, int m, int n, int k, T alpha, T* a, nint lda,
                               T* b, nint ldb, T* prepacked, int prepackedColumn0, int prepackedWidth,
                               T beta, T* c, nint ldc)
    {
        int nr = NR;
        int mr = MR;
        int nPadded = RoundUp(n, nr);
        int ncBlock = NCBlock;
        T* bufB = prepacked == null
            ? (T*)GemmWorkspace.Current.Get((nuint)(Math.Min(k, KC) * Math.Min(nPadded, ncBlock) * sizeof(T)))
            : null;

        // A is read in place through strides: packing it was measured slower on Zen 4 (1024³:
        // 89 vs 100 GFLOP/s), since the 6-row micro-panel streams well from L2 either way.
        nint aRow = transA ? 1 : lda;
        nint aK = transA ? lda : 1;

        for (int jc = 0; jc < n; jc += ncBlock)
        {
            int nc = Math.Min(ncBlock, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                T betaEff = pc == 0 ? beta : T.One;
                T* bBlock;
                if (prepacked != null)
                {
                    bBlock = prepacked + ((long)pc * prepackedWidth) + ((long)(prepackedColumn0 + jc) * kc);
                }
                else
                {
                    PackB(transB, b, ldb, pc, kc, jc, nc, nr, bufB);
                    bBlock = bufB;
                }

                for (int i0 = 0; i0 < m; i0 += mr)
                {
                    int rows = Math.Min(mr, m - i0);
                    T* ap = a + (i0 * aRow) + (pc * aK);
                    T* ci = c + (i0 * ldc) + jc;
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        MicroKernel<T, TV, TS>.Run(rows, Math.Min(nr, nc - jr), kc, ap, aRow, aK, bBlock + (jr * kc), nr,
                                                   ci + jr, ldc, alpha, betaEff);
                    }
                }
            }
        }
    }

    /// <summary>Elements a fully packed k×n B occupies (see <see cref="PackAll"/>).</summary>
    public static long PackedLength(int k, int n) => (long)k * RoundUp(n, NR);

    /// <summary>
    /// Packs all of op(B) (k×n): k-slice pc (KC deep) starts at pc·nPadded and holds its panels
    /// as <see cref="PackB"/> lays them out, so the packed driver can address any (slice, panel).
    /// </summary>
    public static void PackAll(bool transB, int k, int n, T* b, nint ldb, T* dst)
    {
        int nPadded = RoundUp(n, NR);
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            PackB(transB, b, ldb, pc, kc, 0, n, NR, dst + ((long)pc * nPadded));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Packs op(B)[pc..pc+kc, jc..jc+nc] into NR-wide panels: panel q holds element (p, j) at
    /// q·NR·kc + p·NR + j, zero-padded to NR columns.
    /// </summary>
    public static void PackB(bool transB, T* b, nint ldb, int pc, int kc, int jc, int nc, int nr, T* dst)
    {
        for (int q = 0; q < nc; q += nr)
        {
            int cols = Math.Min(nr, nc - q);
            T* panel = dst + (q * kc);
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                {
                    T* src = b + ((pc + p) * ldb) + jc + q;
                    T* d = panel + (p * nr);
                    new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(d, cols));
                    if (cols < nr)
                    {
                        new Span<T>(d + cols, nr - cols).Clear();
                    }
                }
            }
            else
            {
                // op(B)[p, j] = B[j, p]: read each stored row of B contiguously, scatter by column.
                if (cols < nr)
                {
                    new Span<T>(panel, kc * nr).Clear();
                }
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + ((jc + q + j) * ldb) + pc;
                    T* d = panel + j;
                    for (int p = 0; p < kc; p++)
                    {
                        d[p * nr] = src[p];
                    }
                }
            }
        }
    }
}
