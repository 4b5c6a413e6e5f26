namespace FastMlp;

/// <summary>
/// One small dense layer with identity output under MSE (linear regression, y = b + m·x) trained in a single fused
/// scalar pass: at this size (≤ 64 weights) the general layer machinery (<see cref="LayerKernels{T}"/>, GEMM, separate
/// loss and backward passes) costs several times more than the arithmetic.
/// </summary>
internal static class FusedLinearKernel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Largest weight count (inputs × outputs) the trainer routes here.</summary>
    public const int MaxWeights = 64;

    /// <summary>
    /// Linear regression in one pass: ŷ = x·W + b, loss = 1/(N·o) Σ(ŷ − y)², dZ = 2(ŷ − y)/(N·o),
    /// dW = xᵀ·dZ, db = Σ dZ. Parameters are [W (k×o), b (o)] as in <see cref="Mlp{T}.Parameters"/>.
    /// </summary>
    public static double Gradients(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int batch, int k, int o, Span<T> gradients)
    {
        ReadOnlySpan<T> w = parameters.Slice(0, k * o), b = parameters.Slice(k * o, o);
        x = x.Slice(0, batch * k);
        y = y.Slice(0, batch * o);
        Span<T> dw = gradients.Slice(0, (k * o) + o);
        dw.Clear();
        Span<T> db = dw.Slice(k * o, o);
        T scale = T.CreateTruncating(2.0 / ((double)batch * o));
        T loss = T.Zero;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<T> xr = x.Slice(r * k, k);
            for (int j = 0; j < o; j++)
            {
                T z = b[j];
                for (int p = 0; p < xr.Length; p++)
                {
                    z += xr[p] * w[(p * o) + j];
                }
                T d = z - y[(r * o) + j];
                loss += d * d;
                d *= scale;
                db[j] += d;
                for (int p = 0; p < xr.Length; p++)
                {
                    dw[(p * o) + j] += xr[p] * d;
                }
            }
        }
        return double.CreateTruncating(loss) / ((double)batch * o);
    }
}
