using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// The dropout masks against a textbook xoshiro256** seeded by SplitMix64 (Blackman and Vigna's reference code),
/// element by element: the masks are part of the checkpoint contract (a resumed fit must draw the same ones), so the
/// generator must be exactly the documented one, not merely a good one.
/// </summary>
public class DropoutMaskReferenceTests
{
    private sealed class Reference
    {
        private readonly ulong[] _s = new ulong[4];

        public Reference(int seed)
        {
            ulong x = (ulong)(uint)seed ^ 0x6A09E667F3BCC908UL;
            for (int i = 0; i < 4; i++)
            {
                _s[i] = SplitMix64(ref x);
            }
        }

        public static ulong SplitMix64(ref ulong x)
        {
            x += 0x9E3779B97F4A7C15UL;
            ulong z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

        public ulong Next()
        {
            ulong result = Rotl(_s[1] * 5, 7) * 9;
            ulong t = _s[1] << 17;
            _s[2] ^= _s[0];
            _s[3] ^= _s[1];
            _s[1] ^= _s[2];
            _s[0] ^= _s[3];
            _s[2] ^= t;
            _s[3] = Rotl(_s[3], 45);
            return result;
        }
    }

    /// <summary>Each 64-bit draw gives two units, low half first; an odd last unit takes the low half of a fresh draw.</summary>
    private static double[] ReferenceMask(int seed, int length, double rate, int skipDraws = 0)
    {
        var generator = new Reference(seed);
        for (int i = 0; i < skipDraws; i++)
        {
            generator.Next();
        }
        double threshold = rate * 4294967296.0, keep = 1 / (1 - rate);
        var mask = new double[length];
        for (int i = 0; i < length; i += 2)
        {
            ulong bits = generator.Next();
            mask[i] = (uint)bits < threshold ? 0 : keep;
            if (i + 1 < length)
            {
                mask[i + 1] = (bits >> 32) < threshold ? 0 : keep;
            }
        }
        return mask;
    }

    [Fact]
    public void The_reference_SplitMix64_gives_the_published_first_output()
    {
        ulong x = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, Reference.SplitMix64(ref x));
    }

    [Theory]
    [InlineData(7, 1, 0.5)]
    [InlineData(7, 2, 0.5)]
    [InlineData(1, 33, 0.3)]
    [InlineData(-5, 64, 0.1)]
    [InlineData(int.MaxValue, 101, 0.9)]
    [InlineData(3, 20, 0.0)]
    public void Masks_equal_the_reference_generator_element_by_element(int seed, int length, double rate)
    {
        var mask = new double[length];
        new DropoutMasks(seed).Fill<double>(mask, rate);
        Assert.Equal(ReferenceMask(seed, length, rate), mask);
    }

    [Fact]
    public void Float_masks_hold_the_same_units_and_the_rounded_scale()
    {
        var single = new float[37];
        new DropoutMasks(4).Fill<float>(single, 0.2);
        double[] expected = ReferenceMask(4, 37, 0.2);
        Assert.Equal(expected.Select(v => (float)v), single);
        Assert.Contains(1.25f, single);
        Assert.Contains(0f, single);
    }

    [Fact]
    public void A_second_fill_continues_the_stream_and_reset_starts_it_again()
    {
        var masks = new DropoutMasks(12);
        var first = new double[5];
        var second = new double[6];
        masks.Fill<double>(first, 0.4);
        masks.Fill<double>(second, 0.4);
        // 5 units used 3 draws (the odd one a whole draw).
        Assert.Equal(ReferenceMask(12, 6, 0.4, skipDraws: 3), second);

        masks.Reset(12);
        var again = new double[5];
        masks.Fill<double>(again, 0.4);
        Assert.Equal(first, again);
    }

    [Fact]
    public void The_saved_state_is_the_generator_state_word_for_word()
    {
        var masks = new DropoutMasks(21);
        masks.Fill<double>(new double[8], 0.5);
        Span<long> state = stackalloc long[DropoutMasks.StateLength];
        masks.CopyState(state);
        long[] saved = state.ToArray();
        // Restoring a rotated state must not give the same stream: each word goes back to its own place.
        var rotated = new DropoutMasks(0);
        rotated.RestoreState([saved[1], saved[2], saved[3], saved[0]]);
        var restored = new DropoutMasks(0);
        restored.RestoreState(saved);
        double[] expected = ReferenceMask(21, 10, 0.5, skipDraws: 4);
        var fromRestored = new double[10];
        var fromRotated = new double[10];
        restored.Fill<double>(fromRestored, 0.5);
        rotated.Fill<double>(fromRotated, 0.5);
        Assert.Equal(expected, fromRestored);
        Assert.NotEqual(expected, fromRotated);
        Span<long> after = stackalloc long[DropoutMasks.StateLength];
        restored.CopyState(after);
        Assert.NotEqual(saved, after.ToArray());
    }
}
