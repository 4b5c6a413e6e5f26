namespace FastMlp.Verification;

/// <summary>The largest errors among one layer's checked parameters (weights and biases), and how many of its parameters were checked.</summary>
/// <param name="Layer">Layer index, input side first (0-based).</param>
/// <param name="ParametersChecked">Parameters of this layer compared.</param>
/// <param name="MaxAbsoluteError">Largest |analytic − numeric| in this layer.</param>
/// <param name="MaxRelativeError">Largest |a − n| / max(|a| + |n|, floor) in this layer.</param>
public readonly record struct LayerGradientError(int Layer, int ParametersChecked, double MaxAbsoluteError, double MaxRelativeError)
{
    /// <summary>Weights and biases the layer has (checked or not).</summary>
    public int ParametersInLayer { get; init; }

    /// <summary>Parameters of the layer skipped at a kink.</summary>
    public int ParametersSkipped { get; init; }
}
