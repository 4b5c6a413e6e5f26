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
        var random = new Random(length);
        float[] x = Enumerable.Range(0, length).Select(_ => (float)(lo + (random.NextDouble() * (hi - lo)))).ToArray();
        var q = new byte[length];
        float scale;
        int zeroPoint;
        fixed (byte* pq = q)
        {
            (scale, zeroPoint) = ActivationQuantizer.Quantize(x, pq);
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
