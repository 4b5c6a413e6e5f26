namespace FastMlp.Benchmarks.Reporting;

/// <summary>
/// Two-sided Mann–Whitney U test with the normal approximation (tie and continuity corrected).
/// Rank-based, so a few outlier iterations (GC, a noisy neighbour) cannot fake a difference the
/// way they can with a t-test on means. Plain C# so the test project can link it.
/// </summary>
public static class MannWhitney
{
    /// <summary>p-value for "x and y come from the same distribution"; 1 when either sample is empty or all values tie.</summary>
    public static double TwoSidedPValue(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0)
        {
            return 1.0;
        }
        int n = n1 + n2;
        var all = new (double Value, bool FromX)[n];
        for (int i = 0; i < n1; i++) all[i] = (x[i], true);
        for (int i = 0; i < n2; i++) all[n1 + i] = (y[i], false);
        Array.Sort(all, (a, b) => a.Value.CompareTo(b.Value));

        // Average ranks over ties; collect Σ(t³ − t) for the variance correction.
        double rankSumX = 0, tieTerm = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && all[j + 1].Value == all[i].Value) j++;
            double averageRank = (i + j + 2) / 2.0; // ranks are 1-based
            for (int k = i; k <= j; k++)
            {
                if (all[k].FromX) rankSumX += averageRank;
            }
            double t = j - i + 1;
            tieTerm += (t * t * t) - t;
            i = j + 1;
        }

        double u = rankSumX - (n1 * (n1 + 1) / 2.0);
        double mean = n1 * (double)n2 / 2.0;
        double variance = n1 * (double)n2 / 12.0 * ((n + 1) - (tieTerm / (n * (double)(n - 1))));
        if (variance <= 0)
        {
            return 1.0;
        }
        double z = Math.Max(0, Math.Abs(u - mean) - 0.5) / Math.Sqrt(variance);
        return Math.Clamp(Erfc(z / Math.Sqrt(2)), 0.0, 1.0); // 2·(1 − Φ(z)) = erfc(z/√2)
    }

    /// <summary>Complementary error function (Chebyshev fit, relative error below 1.2e-7).</summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        // Horner evaluation of the fitted polynomial in t, highest coefficient first.
        double[] c = [0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223];
        double poly = 0;
        foreach (double coefficient in c)
        {
            poly = (poly * t) + coefficient;
        }
        double r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
