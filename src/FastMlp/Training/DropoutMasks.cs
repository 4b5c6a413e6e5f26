namespace FastMlp;

/// <summary>
/// Inverted-dropout masks: each hidden unit of each row is kept with probability 1 − p and then scaled by 1/(1 − p)
/// (so the expected activation is unchanged and inference needs no rescaling), else zeroed. Drawn on the calling
/// thread from xoshiro256** seeded by the fit's seed, in row order: the masks, and so the weights, are the same for
/// every thread count. Two 32-bit draws per 64-bit step; a unit is dropped when its draw is below p·2³².
/// </summary>
internal sealed class DropoutMasks
{
    private ulong _s0, _s1, _s2, _s3;

    public DropoutMasks(int seed) => Reset(seed);

    /// <summary>Number of state words (<see cref="CopyState"/>, <see cref="RestoreState"/>).</summary>
    public const int StateLength = 4;

    public void Reset(int seed)
    {
        // SplitMix64 spreads the seed over the state (xoshiro's authors' recommendation); never all zero.
        ulong x = (ulong)(uint)seed ^ 0x6A09E667F3BCC908UL;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public void CopyState(Span<long> state) => (state[0], state[1], state[2], state[3]) = ((long)_s0, (long)_s1, (long)_s2, (long)_s3);

    public void RestoreState(ReadOnlySpan<long> state) => (_s0, _s1, _s2, _s3) = ((ulong)state[0], (ulong)state[1], (ulong)state[2], (ulong)state[3]);

    /// <summary>Fills <paramref name="mask"/> with 0 (probability <paramref name="rate"/>) or 1/(1 − rate).</summary>
    public void Fill<T>(Span<T> mask, double rate) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        uint threshold = (uint)Math.Min(rate * 4294967296.0, uint.MaxValue);
        T keep = T.CreateTruncating(1 / (1 - rate));
        int i = 0;
        for (; i + 1 < mask.Length; i += 2)
        {
            ulong bits = Next();
            mask[i] = (uint)bits < threshold ? T.Zero : keep;
            mask[i + 1] = (uint)(bits >> 32) < threshold ? T.Zero : keep;
        }
        if (i < mask.Length)
        {
            mask[i] = (uint)Next() < threshold ? T.Zero : keep;
        }
    }

    private ulong Next()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
