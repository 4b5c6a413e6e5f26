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
    public static (float Scale, int ZeroPoint) Quantize(ReadOnlySpan<float> x, byte* q) => Quantize(x, q, 512);

    /// <summary>As <see cref="Quantize(ReadOnlySpan{float}, byte*)"/> with vectors of at most <paramref name="vectorBits"/> (tests run each width).</summary>
    // Optimized from the first call: tier-0 code of the vector helpers is many times slower, and this runs in every Predict.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (float Scale, int ZeroPoint) Quantize(ReadOnlySpan<float> x, byte* q, int vectorBits)
    {
        (float lo, float hi) = Range(x, vectorBits);
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
            // Finite x·inverse lies in [−128, 128], so the native (non-saturating) conversion is exact.
            if (Vector512.IsHardwareAccelerated && vectorBits >= 512)
            {
                Vector512<float> inv = Vector512.Create(inverse);
                Vector512<int> zp = Vector512.Create(zeroPoint), top = Vector512.Create(Levels);
                for (; i + 64 <= x.Length; i += 64)
                {
                    Vector512<short> lower = Vector512.Narrow(Level(px + i, inv, zp, top), Level(px + i + 16, inv, zp, top));
                    Vector512<short> upper = Vector512.Narrow(Level(px + i + 32, inv, zp, top), Level(px + i + 48, inv, zp, top));
                    Vector512.Narrow(lower, upper).AsByte().Store(q + i);
                }
            }
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

    /// <summary>min(0, min x) and max(0, max x) in one pass; NaN propagates (Vector Min/Max and Math.Min/Max follow IEEE 754-2019).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Lo, float Hi) Range(ReadOnlySpan<float> x, int vectorBits)
    {
        float lo = 0f, hi = 0f;
        int i = 0;
        fixed (float* px = x)
        {
            if (Vector512.IsHardwareAccelerated && vectorBits >= 512 && x.Length >= 16)
            {
                Vector512<float> vlo = Vector512<float>.Zero, vhi = Vector512<float>.Zero;
                for (; i + 16 <= x.Length; i += 16)
                {
                    Vector512<float> v = Vector512.Load(px + i);
                    vlo = Vector512.Min(vlo, v);
                    vhi = Vector512.Max(vhi, v);
                }
                (lo, hi) = (Reduce(vlo.GetLower(), vlo.GetUpper(), min: true), Reduce(vhi.GetLower(), vhi.GetUpper(), min: false));
            }
            else if (Vector256.IsHardwareAccelerated && x.Length >= 8)
            {
                Vector256<float> vlo = Vector256<float>.Zero, vhi = Vector256<float>.Zero;
                for (; i + 8 <= x.Length; i += 8)
                {
                    Vector256<float> v = Vector256.Load(px + i);
                    vlo = Vector256.Min(vlo, v);
                    vhi = Vector256.Max(vhi, v);
                }
                (lo, hi) = (Reduce(vlo, Vector256<float>.Zero, min: true), Reduce(vhi, Vector256<float>.Zero, min: false));
            }
            for (; i < x.Length; i++)
            {
                lo = Math.Min(lo, px[i]);
                hi = Math.Max(hi, px[i]);
            }
        }
        return (lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> a, Vector256<float> b, bool min)
    {
        Vector256<float> v = min ? Vector256.Min(a, b) : Vector256.Max(a, b);
        float r = v[0];
        for (int j = 1; j < Vector256<float>.Count; j++)
        {
            r = min ? Math.Min(r, v[j]) : Math.Max(r, v[j]);
        }
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Level(float* p, Vector512<float> inverse, Vector512<int> zeroPoint, Vector512<int> top) =>
        Vector512.Min(Vector512.Max(Vector512.ConvertToInt32Native(Vector512.Round(Vector512.Load(p) * inverse)) + zeroPoint, Vector512<int>.Zero), top);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Level(float* p, Vector256<float> inverse, Vector256<int> zeroPoint, Vector256<int> top) =>
        Vector256.Min(Vector256.Max(Vector256.ConvertToInt32Native(Vector256.Round(Vector256.Load(p) * inverse)) + zeroPoint, Vector256<int>.Zero), top);
}
