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
