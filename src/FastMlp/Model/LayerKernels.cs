using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using FastMlp.Numerics;

namespace FastMlp;

/// <summary>
/// The per-layer kernels of forward and backward propagation, on row-major spans. Matrix products go
/// to <see cref="Gemm"/>, except tiny ones where a plain loop beats the call overhead of a blocked GEMM.
/// </summary>
internal static class LayerKernels<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // m·n·k at or below this runs as a plain triple loop: GEMM's validation and dispatch cost more.
    private const long TinyProduct = 2048;

    private static readonly T LeakySlope = T.CreateTruncating(ActivationFunctions.LeakyReLUSlope);

    /// <summary>C[m×n] = op(A)·op(B) (beta = 0: C is overwritten), split over <paramref name="pool"/> when it pays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(WorkerPool? pool, bool transposeA, bool transposeB, int m, int n, int k,
                                ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
    {
        if ((long)m * n * k <= TinyProduct && m > 1)
        {
            MultiplyTiny(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        }
        else
        {
            // M = 1 (single-row inference) takes GEMM's register-blocked GEMV path.
            Gemm.Multiply(pool, transposeA, transposeB, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, ldc);
        }
    }

    private static void MultiplyTiny(bool transposeA, bool transposeB, int m, int n, int k,
                                     ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            row.Clear();
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[p * lda + i] : a[i * lda + p];
                if (transposeB)
                {
                    for (int j = 0; j < row.Length; j++)
                    {
                        row[j] += aip * b[j * ldb + p];
                    }
                }
                else
                {
                    ReadOnlySpan<T> bRow = b.Slice(p * ldb, n);
                    for (int j = 0; j < row.Length; j++)
                    {
                        row[j] += aip * bRow[j];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsTiny(int m, int n, int k) => (long)m * n * k <= TinyProduct && m > 1;

    /// <summary>z[m×n] = x[m×k]·w[k×n] + b, a plain loop for products too small for GEMM to pay off.</summary>
    public static void AffineTiny(ReadOnlySpan<T> x, int m, int k, ReadOnlySpan<T> w, ReadOnlySpan<T> b, int n, Span<T> z)
    {
        x = x.Slice(0, m * k);
        w = w.Slice(0, k * n);
        b = b.Slice(0, n);
        z = z.Slice(0, m * n);
        for (int i = 0; i < m; i++)
        {
            Span<T> row = z.Slice(i * n, n);
            b.CopyTo(row);
            ReadOnlySpan<T> xi = x.Slice(i * k, k);
            for (int p = 0; p < xi.Length; p++)
            {
                T xip = xi[p];
                ReadOnlySpan<T> wRow = w.Slice(p * n, n);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] += xip * wRow[j];
                }
            }
        }
    }

    /// <summary>
    /// z[rows×cols] += bias (per row; skipped when <paramref name="bias"/> is empty), optionally copied to <paramref name="logits"/>, then a = act(z) in place.
    /// One pass per row for bias, one vectorized pass for the activation.
    /// </summary>
    public static void BiasActivation(Span<T> z, int rows, int cols, ReadOnlySpan<T> bias, Activation activation, Span<T> logits)
    {
        int length = rows * cols;
        z = z.Slice(0, length);
        if (bias.IsEmpty)
        {
        }
        else if (IsNarrow(cols))
        {
            // Per-row library calls cost more than the work on narrow rows.
            bias = bias.Slice(0, cols);
            for (int r = 0; r < rows; r++)
            {
                Span<T> row = z.Slice(r * cols, cols);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] += bias[j];
                }
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                Span<T> row = z.Slice(r * cols, cols);
                TensorPrimitives.Add(row, bias, row);
            }
        }
        if (!logits.IsEmpty)
        {
            z.CopyTo(logits);
        }
        switch (activation)
        {
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(z, z);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(z, z);
                break;
            case Activation.ReLU:
                TensorPrimitives.Max(z, T.Zero, z);
                break;
            case Activation.LeakyReLU:
                LeakyReLU(z);
                break;
            case Activation.Softmax:
                if (IsNarrow(cols))
                {
                    SoftmaxNarrow(z, rows, cols);
                }
                else
                {
                    for (int r = 0; r < rows; r++)
                    {
                        Softmax(z.Slice(r * cols, cols));
                    }
                }
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNarrow(int cols) => cols < 2 * Vector<T>.Count;

    /// <summary>Row-wise stable softmax of narrow rows: scalar max/sum per row, one vectorized exp over the block.</summary>
    private static void SoftmaxNarrow(Span<T> z, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<T> row = z.Slice(r * cols, cols);
            T max = row[0];
            for (int j = 1; j < row.Length; j++)
            {
                max = T.Max(max, row[j]);
            }
            for (int j = 0; j < row.Length; j++)
            {
                row[j] -= max;
            }
        }
        TensorPrimitives.Exp(z, z);
        for (int r = 0; r < rows; r++)
        {
            Span<T> row = z.Slice(r * cols, cols);
            T sum = T.Zero;
            for (int j = 0; j < row.Length; j++)
            {
                sum += row[j];
            }
            T inverse = T.One / sum;
            for (int j = 0; j < row.Length; j++)
            {
                row[j] *= inverse;
            }
        }
    }

    /// <summary>Numerically stable softmax of one row, in place.</summary>
    public static void Softmax(Span<T> row)
    {
        T max = TensorPrimitives.Max<T>(row);
        TensorPrimitives.Subtract(row, max, row);
        TensorPrimitives.Exp(row, row);
        T sum = TensorPrimitives.Sum<T>(row);
        TensorPrimitives.Multiply(row, T.One / sum, row);
    }

    private static void LeakyReLU(Span<T> z)
    {
        T slope = LeakySlope;
        int i = 0;
        if (Vector.IsHardwareAccelerated && z.Length >= Vector<T>.Count)
        {
            var vs = new Vector<T>(slope);
            ref T start = ref z[0];
            for (; i <= z.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                // For 0 < slope < 1, leaky(z) = max(z, slope·z).
                Vector.Max(v, v * vs).StoreUnsafe(ref start, (nuint)i);
            }
        }
        for (; i < z.Length; i++)
        {
            z[i] = z[i] > T.Zero ? z[i] : z[i] * slope;
        }
    }

    /// <summary>
    /// Turns dA into dZ in place (dZ = dA ⊙ act′), using only the activations a = act(z):
    /// σ′ = a(1 − a), tanh′ = 1 − a², ReLU′ = [a &gt; 0], softmax: dZ = a ⊙ (dA − Σ dA·a) per row.
    /// </summary>
    public static void ActivationBackward(Span<T> delta, ReadOnlySpan<T> a, int rows, int cols, Activation activation)
    {
        int length = rows * cols;
        delta = delta.Slice(0, length);
        a = a.Slice(0, length);
        switch (activation)
        {
            case Activation.Identity:
                return;
            case Activation.Softmax:
                for (int r = 0; r < rows; r++)
                {
                    Span<T> d = delta.Slice(r * cols, cols);
                    ReadOnlySpan<T> ar = a.Slice(r * cols, cols);
                    T dot = TensorPrimitives.Dot(d, ar);
                    TensorPrimitives.Subtract(d, dot, d);
                    TensorPrimitives.Multiply(d, ar, d);
                }
                return;
        }
        int i = 0;
        ref T dRef = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(delta);
        ref T aRef = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            var slope = new Vector<T>(LeakySlope);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var d = Vector.LoadUnsafe(ref dRef, (nuint)i);
                var v = Vector.LoadUnsafe(ref aRef, (nuint)i);
                d = activation switch
                {
                    Activation.Sigmoid => d * v * (one - v),
                    Activation.Tanh => d * (one - v * v),
                    Activation.ReLU => Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), d, Vector<T>.Zero),
                    _ => Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), d, d * slope),
                };
                d.StoreUnsafe(ref dRef, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            T v = a[i];
            delta[i] = activation switch
            {
                Activation.Sigmoid => delta[i] * v * (T.One - v),
                Activation.Tanh => delta[i] * (T.One - v * v),
                Activation.ReLU => v > T.Zero ? delta[i] : T.Zero,
                _ => v > T.Zero ? delta[i] : delta[i] * LeakySlope,
            };
        }
    }

    /// <summary>sums[j] = Σ_r m[r, j] (the bias gradient db = Σ dZ over the batch).</summary>
    public static void ColumnSums(ReadOnlySpan<T> m, int rows, int cols, Span<T> sums)
    {
        sums = sums.Slice(0, cols);
        m.Slice(0, cols).CopyTo(sums);
        if (IsNarrow(cols))
        {
            for (int r = 1; r < rows; r++)
            {
                ReadOnlySpan<T> row = m.Slice(r * cols, cols);
                for (int j = 0; j < sums.Length; j++)
                {
                    sums[j] += row[j];
                }
            }
            return;
        }
        for (int r = 1; r < rows; r++)
        {
            TensorPrimitives.Add(sums, m.Slice(r * cols, cols), sums);
        }
    }
}
