namespace FastMlp;

/// <summary>Elementwise (or, for <see cref="Softmax"/>, row-wise) nonlinearity applied after a layer's affine map.</summary>
public enum Activation
{
    /// <summary>a = z.</summary>
    Identity,

    /// <summary>a = 1 / (1 + e^−z).</summary>
    Sigmoid,

    /// <summary>a = tanh z.</summary>
    Tanh,

    /// <summary>a = max(z, 0).</summary>
    ReLU,

    /// <summary>a = z for z &gt; 0, 0.01·z otherwise (slope <see cref="ActivationFunctions.LeakyReLUSlope"/>).</summary>
    LeakyReLU,

    /// <summary>Row-wise a = e^(z − max z) / Σ e^(z − max z); normally only as the output of a classifier.</summary>
    Softmax,
}

/// <summary>Constants of the activation functions.</summary>
public static class ActivationFunctions
{
    /// <summary>Slope of <see cref="Activation.LeakyReLU"/> for negative inputs (as PyTorch's default).</summary>
    public const double LeakyReLUSlope = 0.01;
}

/// <summary>How a layer's weights are drawn at construction (biases start at zero).</summary>
public enum Initializer
{
    /// <summary>Glorot/Xavier uniform for Identity, Sigmoid, Tanh and Softmax layers; He uniform for ReLU and LeakyReLU layers.</summary>
    Default,

    /// <summary>U(−√(6/(in+out)), +√(6/(in+out))).</summary>
    GlorotUniform,

    /// <summary>N(0, 2/(in+out)).</summary>
    GlorotNormal,

    /// <summary>U(−√(6/in), +√(6/in)).</summary>
    HeUniform,

    /// <summary>N(0, 2/in).</summary>
    HeNormal,
}
