using System.Numerics.Tensors;

namespace FastMlp;

/// <summary>What training minimizes, averaged over the batch.</summary>
public enum Loss
{
    /// <summary>
    /// 1/(N·K) Σ (ŷ − y)² over N rows and K outputs: the same as PyTorch's <c>MSELoss</c>, and twice
    /// scikit-learn's MLPRegressor loss (which uses ½·mean).
    /// </summary>
    MeanSquaredError,

    /// <summary>1/(N·K) Σ |ŷ − y| (PyTorch <c>L1Loss</c>); the gradient uses sign(0) = 0.</summary>
    MeanAbsoluteError,

    /// <summary>
    /// −1/N Σ y·log softmax(z), fused with a <see cref="Activation.Softmax"/> output (required):
    /// computed from the logits with the max subtracted, gradient (p − y)/N. Targets are one-hot rows.
    /// </summary>
    SoftmaxCrossEntropy,

    /// <summary>
    /// 1/(N·K) Σ [max(z, 0) − z·y + log(1 + e^−|z|)], binary cross-entropy fused with a
    /// <see cref="Activation.Sigmoid"/> output (required), stable for any logit z; gradient (σ(z) − y)/(N·K).
    /// </summary>
    BinaryCrossEntropy,
}

/// <summary>Loss values and output-layer gradients dZ (fused with the output activation).</summary>
internal static class LossFunctions<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Throws unless <paramref name="output"/> is the activation a fused loss requires.</summary>
    public static void CheckPairing(Loss loss, Activation output, string paramName)
    {
        Guard.Defined(loss, paramName);
        if (loss == Loss.SoftmaxCrossEntropy && output != Activation.Softmax)
        {
            ThrowHelper.Argument(paramName, $"Loss SoftmaxCrossEntropy needs a Softmax output layer, but the model's output activation is {output}.");
        }
        if (loss == Loss.BinaryCrossEntropy && output != Activation.Sigmoid)
        {
            ThrowHelper.Argument(paramName, $"Loss BinaryCrossEntropy needs a Sigmoid output layer, but the model's output activation is {output}.");
        }
    }

    /// <summary>
    /// Weighted mean loss of a batch, Σ wᵢ·lᵢ / Σ wᵢ with lᵢ the loss of row i as <see cref="Compute"/> defines it (PyTorch's
    /// weighted reduction); with a non-empty <paramref name="dz"/> also its gradient, row i's dZ scaled by wᵢ / Σ w.
    /// A batch whose weights are all 0 has loss 0 and gradient 0.
    /// </summary>
    public static double ComputeWeighted(Loss loss, Activation outputActivation, ReadOnlySpan<T> logits, ReadOnlySpan<T> outputs,
                                         ReadOnlySpan<T> targets, ReadOnlySpan<T> rowWeights, double weightSum, int batch, int width, Span<T> dz)
    {
        bool withGradient = !dz.IsEmpty;
        if (weightSum == 0)
        {
            if (withGradient)
            {
                dz.Slice(0, batch * width).Clear();
            }
            return 0;
        }
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            Span<T> rowGradient = withGradient ? dz.Slice(r * width, width) : default;
            double rowLoss = Compute(loss, outputActivation, logits.Slice(r * width, width), outputs.Slice(r * width, width),
                                     targets.Slice(r * width, width), 1, width, rowGradient);
            double w = double.CreateTruncating(rowWeights[r]);
            total += w * rowLoss;
            if (withGradient)
            {
                TensorPrimitives.Multiply(rowGradient, T.CreateTruncating(w / weightSum), rowGradient);
            }
        }
        return total / weightSum;
    }

    /// <summary>
    /// Mean loss of a batch. With a non-empty <paramref name="dz"/>, also writes dZ of the output layer
    /// (the gradient of the mean loss with respect to the output pre-activations).
    /// </summary>
    /// <param name="logits">Output pre-activations Z [batch × outputs].</param>
    /// <param name="outputs">Output activations A [batch × outputs].</param>
    public static double Compute(Loss loss, Activation outputActivation, ReadOnlySpan<T> logits, ReadOnlySpan<T> outputs,
                                 ReadOnlySpan<T> targets, int batch, int width, Span<T> dz)
    {
        int length = batch * width;
        outputs = outputs.Slice(0, length);
        targets = targets.Slice(0, length);
        bool withGradient = !dz.IsEmpty;
        switch (loss)
        {
            case Loss.SoftmaxCrossEntropy:
                {
                    double total = 0;
                    T inverseBatch = T.One / T.CreateTruncating(batch);
                    for (int r = 0; r < batch; r++)
                    {
                        ReadOnlySpan<T> z = logits.Slice(r * width, width);
                        ReadOnlySpan<T> p = outputs.Slice(r * width, width);
                        ReadOnlySpan<T> y = targets.Slice(r * width, width);
                        int top;
                        T ySum, yz;
                        if (LayerKernels<T>.IsNarrow(width))
                        {
                            (top, ySum, yz) = (0, T.Zero, T.Zero);
                            for (int j = 0; j < z.Length; j++)
                            {
                                top = z[j] > z[top] ? j : top;
                                ySum += y[j];
                                yz += y[j] * z[j];
                            }
                        }
                        else
                        {
                            (top, ySum, yz) = (TensorPrimitives.IndexOfMax(z), TensorPrimitives.Sum(y), TensorPrimitives.Dot(y, z));
                        }
                        // log Σ e^z = z_max − log p_max, and p_max ≥ 1/K: no overflow, no second exp pass.
                        double logSumExp = double.CreateTruncating(z[top]) - Math.Log(double.CreateTruncating(p[top]));
                        total += logSumExp * double.CreateTruncating(ySum) - double.CreateTruncating(yz);
                        if (withGradient && LayerKernels<T>.IsNarrow(width))
                        {
                            Span<T> d = dz.Slice(r * width, width);
                            for (int j = 0; j < d.Length; j++)
                            {
                                d[j] = (p[j] * ySum - y[j]) * inverseBatch;
                            }
                        }
                        else if (withGradient)
                        {
                            // dZ = (p·Σy − y)/N; for one-hot rows Σy = 1.
                            Span<T> d = dz.Slice(r * width, width);
                            TensorPrimitives.Multiply(p, ySum, d);
                            TensorPrimitives.Subtract(d, y, d);
                            TensorPrimitives.Multiply(d, inverseBatch, d);
                        }
                    }
                    return total / batch;
                }
            case Loss.BinaryCrossEntropy:
                {
                    double total = 0;
                    for (int i = 0; i < length; i++)
                    {
                        double z = double.CreateTruncating(logits[i]);
                        double y = double.CreateTruncating(targets[i]);
                        total += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                    }
                    if (withGradient)
                    {
                        Span<T> d = dz.Slice(0, length);
                        TensorPrimitives.Subtract(outputs, targets, d);
                        TensorPrimitives.Multiply(d, T.One / T.CreateTruncating(length), d);
                    }
                    return total / length;
                }
            case Loss.MeanAbsoluteError:
                {
                    double total = 0;
                    T scale = T.One / T.CreateTruncating(length);
                    for (int i = 0; i < length; i++)
                    {
                        T diff = outputs[i] - targets[i];
                        total += double.CreateTruncating(T.Abs(diff));
                        if (withGradient)
                        {
                            dz[i] = diff > T.Zero ? scale : diff < T.Zero ? -scale : T.Zero;
                        }
                    }
                    if (withGradient)
                    {
                        LayerKernels<T>.ActivationBackward(dz, outputs, batch, width, outputActivation);
                    }
                    return total / length;
                }
            default:
                {
                    if (!withGradient)
                    {
                        double sum = 0;
                        for (int i = 0; i < length; i++)
                        {
                            double diff = double.CreateTruncating(outputs[i] - targets[i]);
                            sum += diff * diff;
                        }
                        return sum / length;
                    }
                    Span<T> d = dz.Slice(0, length);
                    if (length < 64)
                    {
                        // Tiny regressions (y = b + m·x): one scalar pass beats three library calls.
                        T scale = T.CreateTruncating(2.0 / length), squares = T.Zero;
                        for (int i = 0; i < d.Length; i++)
                        {
                            T diff = outputs[i] - targets[i];
                            squares += diff * diff;
                            d[i] = diff * scale;
                        }
                        LayerKernels<T>.ActivationBackward(d, outputs, batch, width, outputActivation);
                        return double.CreateTruncating(squares) / length;
                    }
                    TensorPrimitives.Subtract(outputs, targets, d);
                    double total = double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(d));
                    // d/dŷ of 1/(N·K) Σ(ŷ − y)² = 2(ŷ − y)/(N·K)
                    TensorPrimitives.Multiply(d, T.CreateTruncating(2.0 / length), d);
                    LayerKernels<T>.ActivationBackward(d, outputs, batch, width, outputActivation);
                    return total / length;
                }
        }
    }
}
