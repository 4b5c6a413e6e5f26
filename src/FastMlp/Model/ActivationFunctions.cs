namespace FastMlp;

/// <summary>Constants of the activation functions.</summary>
public static class ActivationFunctions
{
    /// <summary>Slope of <see cref="Activation.LeakyReLU"/> for negative inputs (as PyTorch's default).</summary>
    public const double LeakyReLUSlope = 0.01;
}
