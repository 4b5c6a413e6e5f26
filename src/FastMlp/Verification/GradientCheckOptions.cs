namespace FastMlp.Verification;

/// <summary>Settings of <see cref="GradientCheck.Run{T}"/>.</summary>
public sealed class GradientCheckOptions
{
    /// <summary>Finite-difference step h (absolute). Default 1e-3 (the five-point stencil's error is O(h⁴)).</summary>
    public double Step { get; init; } = 1e-3;

    /// <summary>
    /// Floor of the relative-error denominator: |a − n| / max(|a| + |n|, floor), so gradients near zero are judged by
    /// absolute error. Default (null): 1e-5 for double, 1e-3 for float. (The five-point stencil's own error reaches
    /// ~1e-12 on curved losses, so a 1e-6 floor flagged correct gradients of size ~1e-7 at 1.2e-6.)
    /// </summary>
    public double? RelativeFloor { get; init; }

    /// <summary>
    /// Weights checked per layer, a seeded random sample (default 64; all of them when the layer has fewer). With
    /// <see cref="BiasesPerLayer"/> this bounds the work per layer, so a check of any architecture takes seconds.
    /// </summary>
    public int WeightsPerLayer { get; init; } = 64;

    /// <summary>Biases checked per layer, a seeded random sample (default 16; all of them when the layer has fewer).</summary>
    public int BiasesPerLayer { get; init; } = 16;

    /// <summary>Check every parameter (can take hours for large layers: each costs four forward passes). Default false.</summary>
    public bool CheckAll { get; init; }

    /// <summary>When &gt; 0: instead of the per-layer samples, at most this many parameters drawn from the whole model (default 0).</summary>
    public int MaxParameters { get; init; }

    /// <summary>Seed of the parameter sample.</summary>
    public int Seed { get; init; }

    /// <summary>Told after every parameter compared (or skipped at a kink), on the calling thread.</summary>
    public IProgress<GradientCheckProgress>? Progress { get; init; }

    /// <summary>
    /// One weight per batch row: checks the gradient of the weighted mean loss Σ wᵢ·lᵢ / Σ wᵢ that training with
    /// sample or class weights minimizes. Null checks the plain mean.
    /// </summary>
    public double[]? RowWeights { get; init; }
}
