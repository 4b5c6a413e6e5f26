using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FastMlp.Numerics;

namespace FastMlp;

/// <summary>
/// One layer of a <see cref="WeightPrecision.Int8"/> model. Int8 layers hold weights symmetric per
/// output column (w ≈ q·scale, q in [−127, 127]) packed for <see cref="Int8Kernel{TV, TS}"/>, with
/// column sums for the activations' zero point; a layer too narrow to gain keeps float weights.
/// Immutable after construction, so one instance serves every thread.
/// </summary>
internal sealed unsafe class QuantizedLayer
{
    /// <summary>Columns are padded to a multiple of the widest vector (16 int32 lanes), so kernels have no tails.</summary>
    public const int ColumnAlignment = 16;

    /// <summary>Integer sums stay exact in int32 up to this depth (127·127·k &lt; 2³¹).</summary>
    public const int MaxInt8Inputs = 131_072;

    /// <summary>Layers with fewer outputs stay in float: the padded int8 product and the extra quantization pass cost more than they save.</summary>
    public const int MinInt8Outputs = 16;

    private readonly sbyte[]? _packed;
    private readonly int _packedOffset;

    private QuantizedLayer(int inputs, int outputs, Activation activation, float[] bias)
    {
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Bias = bias;
        Quads = (inputs + 3) / 4;
        PaddedOutputs = (outputs + ColumnAlignment - 1) / ColumnAlignment * ColumnAlignment;
    }

    /// <summary>An int8 layer from quantized weights q [inputs × outputs] and per-output scales.</summary>
    public QuantizedLayer(int inputs, int outputs, Activation activation, sbyte[] weights, float[] scales, float[] bias)
        : this(inputs, outputs, activation, bias)
    {
        Weights = weights;
        Scales = scales;
        ColumnSums = new int[PaddedOutputs];
        // 64-byte aligned in pinned memory: whole-vector loads never split cache lines.
        _packed = GC.AllocateArray<sbyte>((Quads * PaddedOutputs * 4) + 64, pinned: true);
        fixed (sbyte* p = _packed)
        {
            _packedOffset = (int)((64 - ((nint)p & 63)) & 63);
        }
        Span<sbyte> packed = _packed.AsSpan(_packedOffset, Quads * PaddedOutputs * 4);
        for (int k = 0; k < inputs; k++)
        {
            for (int j = 0; j < outputs; j++)
            {
                sbyte q = weights[(k * outputs) + j];
                packed[(((k / 4 * PaddedOutputs) + j) * 4) + (k % 4)] = q;
                ColumnSums[j] += q;
            }
        }
    }

    /// <summary>A float layer (weights [inputs × outputs]).</summary>
    public QuantizedLayer(int inputs, int outputs, Activation activation, float[] floatWeights, float[] bias)
        : this(inputs, outputs, activation, bias)
    {
        FloatWeights = floatWeights;
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public Activation Activation { get; }
    public int Quads { get; }
    public int PaddedOutputs { get; }
    public float[] Bias { get; }
    public bool IsInt8 => Weights is not null;

    /// <summary>Int8 weights q [inputs × outputs] (null for a float layer).</summary>
    public sbyte[]? Weights { get; }

    /// <summary>Per-output weight scales (null for a float layer).</summary>
    public float[]? Scales { get; }

    public int[]? ColumnSums { get; }

    public float[]? FloatWeights { get; }

    public sbyte* Packed => (sbyte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_packed!)) + _packedOffset;

    /// <summary>Quantizes float weights w [inputs × outputs] symmetrically per output column.</summary>
    public static QuantizedLayer Quantize(ReadOnlySpan<float> w, int inputs, int outputs, Activation activation, float[] bias)
    {
        var q = new sbyte[inputs * outputs];
        var scales = new float[outputs];
        for (int j = 0; j < outputs; j++)
        {
            float max = 0f;
            for (int k = 0; k < inputs; k++)
            {
                max = Math.Max(max, Math.Abs(w[(k * outputs) + j]));
            }
            scales[j] = max / ActivationQuantizer.Levels;
            for (int k = 0; k < inputs && max > 0f; k++)
            {
                q[(k * outputs) + j] = (sbyte)Math.Clamp((int)Math.Round(w[(k * outputs) + j] * (double)ActivationQuantizer.Levels / max), -127, 127);
            }
        }
        return new QuantizedLayer(inputs, outputs, activation, q, scales, bias);
    }

    /// <summary>
    /// z[j] = (acc[j] − zeroPoint·Σₖq[k, j])·(scale·scales[j]) + bias[j], then ReLU if the layer has it:
    /// the rescale, bias and activation in one pass. Vector and scalar parts do the same float operations
    /// in the same order (no fused multiply-add), so the result does not depend on the vector width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Epilogue(int* acc, float scale, int zeroPoint, Span<float> z)
    {
        bool relu = Activation == Activation.ReLU;
        int j = 0;
        fixed (float* pz = z, ps = Scales, pb = Bias)
        fixed (int* pc = ColumnSums)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s = Vector256.Create(scale);
                Vector256<int> zp = Vector256.Create(zeroPoint);
                for (; j + 8 <= Outputs; j += 8)
                {
                    Vector256<int> exact = Vector256.Load(acc + j) - (zp * Vector256.Load(pc + j));
                    Vector256<float> r = (Vector256.ConvertToSingle(exact) * (s * Vector256.Load(ps + j))) + Vector256.Load(pb + j);
                    if (relu)
                    {
                        r = Vector256.Max(r, Vector256<float>.Zero);
                    }
                    r.Store(pz + j);
                }
            }
            for (; j < Outputs; j++)
            {
                float r = ((float)(acc[j] - (zeroPoint * pc[j])) * (scale * ps[j])) + pb[j];
                pz[j] = relu ? Math.Max(r, 0f) : r;
            }
        }
    }
}
