using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Numerics;

public unsafe class ActivationQuantizerTests
{
    [Theory]
    [InlineData(1, 0.0, 1.0)]
    [InlineData(31, -3.0, 2.0)]
    [InlineData(32, -1.0, 5.0)]
    [InlineData(33, 0.5, 9.0)]
    [InlineData(784, -0.5, 7.5)]
    [InlineData(100, -4.0, -1.0)]
    public void Levels_match_the_formula_and_reconstruct_within_half_a_step(int length, double lo, double hi)
    {
        foreach (int bits in new[] { 512, 256 })
        {
            Check(length, lo, hi, bits);
        }
    }

    private static void Check(int length, double lo, double hi, int bits)
    {
        var random = new Random(length);
        float[] x = Enumerable.Range(0, length).Select(_ => (float)(lo + (random.NextDouble() * (hi - lo)))).ToArray();
        var q = new byte[length];
        float scale;
        int zeroPoint;
        fixed (byte* pq = q)
        {
            (scale, zeroPoint) = ActivationQuantizer.Quantize(x, pq, bits);
        }
        float min = Math.Min(0f, x.Min()), max = Math.Max(0f, x.Max());
        Assert.Equal((max - min) / 127f, scale);
        float inverse = 127f / (max - min);
        for (int i = 0; i < length; i++)
        {
            // The vectorized body and the scalar tail must both follow this formula exactly.
            int expected = Math.Clamp((int)MathF.Round(x[i] * inverse) + zeroPoint, 0, 127);
            Assert.Equal(expected, q[i]);
            Assert.InRange(Math.Abs(((q[i] - zeroPoint) * scale) - x[i]), 0, (0.5 * scale) + 1e-5);
        }
    }

    [Theory]
    [InlineData(float.NaN, 3)]
    [InlineData(float.PositiveInfinity, 40)]
    [InlineData(float.NegativeInfinity, 17)]
    public void A_non_finite_value_anywhere_gives_a_nan_scale(float bad, int at)
    {
        foreach (int bits in new[] { 512, 256 })
        {
            float[] x = Enumerable.Range(0, 70).Select(i => i * 0.1f).ToArray();
            x[at] = bad;
            var q = new byte[70];
            fixed (byte* pq = q)
            {
                Assert.True(float.IsNaN(ActivationQuantizer.Quantize(x, pq, bits).Scale), $"{bad} at {at}, {bits}-bit vectors");
            }
        }
    }

    [Fact]
    public void A_row_of_zeros_quantizes_to_zero_with_a_finite_scale()
    {
        var q = new byte[40];
        Array.Fill(q, (byte)9);
        fixed (byte* pq = q)
        {
            (float scale, int zeroPoint) = ActivationQuantizer.Quantize(new float[40], pq);
            Assert.Equal(1f, scale);
            Assert.Equal(0, zeroPoint);
        }
        Assert.All(q, b => Assert.Equal(0, b));
    }
}
