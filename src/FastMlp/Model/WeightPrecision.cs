namespace FastMlp;

/// <summary>How an <see cref="InferenceModel{T}"/> stores and multiplies its weights.</summary>
public enum WeightPrecision
{
    /// <summary>The model's own type (float or double).</summary>
    Full,

    /// <summary>
    /// 8-bit integer weights, symmetric per output column, with activations quantized per row to 7 bits
    /// and exact int32 accumulation; layers with fewer than 16 outputs stay in float.
    /// </summary>
    Int8,
}
