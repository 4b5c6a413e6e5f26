namespace FastMlp;

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
