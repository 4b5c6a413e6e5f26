namespace FastMlp.Serialization;

/// <summary>Element types of the safetensors layout that FastMlp reads and writes.</summary>
internal enum TensorType
{
    F32,
    F64,
    I64,
    I8,

    /// <summary>IEEE 754 half precision (read only: PyTorch state dicts).</summary>
    F16,

    /// <summary>bfloat16, the upper half of an F32 (read only: PyTorch state dicts).</summary>
    BF16,
}
