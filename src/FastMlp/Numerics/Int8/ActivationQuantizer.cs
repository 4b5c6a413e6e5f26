using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastMlp.Numerics;

/// <summary>
/// Dynamic per-row quantization of activations to 7 bits: x ≈ (q − zeroPoint)·scale with q in [0, 127]
/// over the row's range widened to include 0 (so 0 is exact and ReLU rows use all 128 levels). Seven bits
/// keep VPMADDUBSW free of int16 saturation, so every int8 path computes the same exact sums; the one
/// routine here serves all paths, its vector and scalar parts doing the same IEEE operations.
/// </summary>
internal static unsafe class ActivationQuantizer
{
    public const int Levels = 127;

    /// <summary>Quantizes <paramref name="x"/> into <paramref name="q"/> (same length); returns scale and zero point.</summary>
    public static (float Scale, int ZeroPoint) Quantize(ReadOnlySpan<float> x, byte* q)
    {
        float lo = Math.Min(0f, TensorPrimitives.Min(x));
        float hi = Math.Max(0f, TensorPrimitives.Max(x));
        float range = hi - lo;
        if (!(range > 0f) || !float.IsFinite(range))
        {
            // All zeros (or non-finite input, which has no meaningful quantization): q = 0, scale 1 keeps the sums finite.
            new Span<byte>(q, x.Length).Clear();
            return (float.IsNaN(range) || float.IsInfinity(range) ? float.NaN : 1f, 0);
        }
        float scale = range / Levels;
        float inverse = Levels / range;
        int zeroPoint = Math.Clamp((int)MathF.Round(-lo * inverse), 0, Levels);
        int i = 0;
        fixed (float* px = x)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> inv = Vector256.Create(inverse);
                Vector256<int> zp = Vector256.Create(zeroPoint), top = Vector256.Create(Levels);
                for (; i + 32 <= x.Length; i += 32)
                {
                    Vector256<short> lower = Vector256.Narrow(Level(px + i, inv, zp, top), Level(px + i + 8, inv, zp, top));
                    Vector256<short> upper = Vector256.Narrow(Level(px + i + 16, inv, zp, top), Level(px + i + 24, inv, zp, top));
                    Vector256.Narrow(lower, upper).AsByte().Store(q + i);
                }
            }
            for (; i < x.Length; i++)
            {
                q[i] = (byte)Math.Clamp((int)MathF.Round(px[i] * inverse) + zeroPoint, 0, Levels);
            }
        }
        return (scale, zeroPoint);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Level(float* p, Vector256<float> inverse, Vector256<int> zeroPoint, Vector256<int> top) =>
        Vector256.Clamp(Vector256.ConvertToInt32(Vector256.Round(Vector256.Load(p) * inverse)) + zeroPoint, Vector256<int>.Zero, top);
}
