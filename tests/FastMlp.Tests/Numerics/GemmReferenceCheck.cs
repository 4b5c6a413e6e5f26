using FastMlp.Numerics;

namespace FastMlp.Tests.Numerics;

/// <summary>Runs one GEMM case on a path and compares it with the scalar reference.</summary>
internal static class GemmReferenceCheck
{
    public sealed record Case(bool TransA, bool TransB, int M, int N, int K, int PadA, int PadB, int PadC, double Alpha, double Beta, int Seed)
    {
        public int Lda => (TransA ? M : K) + PadA;
        public int Ldb => (TransB ? K : N) + PadB;
        public int Ldc => N + PadC;
        public int ALength => (TransA ? K : M) * Lda + 3;
        public int BLength => (TransB ? N : K) * Ldb + 3;
        public int CLength => M * Ldc + 3;

        public override string ToString() =>
            $"{(TransA ? "T" : "N")}{(TransB ? "T" : "N")} m={M} n={N} k={K} lda={Lda} ldb={Ldb} ldc={Ldc} alpha={Alpha} beta={Beta} seed={Seed}";
    }

    public static T[] Random<T>(Random rng, int length) where T : IBinaryFloatingPointIeee754<T>
    {
        var x = new T[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = T.CreateTruncating((rng.NextDouble() * 2) - 1);
        }
        return x;
    }

    /// <summary>
    /// Returns null when the path agrees with the reference within the forward error bound of a
    /// length-k dot product, |ĉ − c| ≤ γ·(|alpha|·Σ|a||b| + |beta||c|) with γ = 2(k+2)·eps; otherwise a description of the worst element.
    /// </summary>
    public static string? Compare<T>(GemmPath path, Case t, bool nanInC = false, bool forcePacked = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(t.Seed);
        T[] a = Random<T>(rng, t.ALength);
        T[] b = Random<T>(rng, t.BLength);
        T[] c0 = Random<T>(rng, t.CLength);
        if (nanInC)
        {
            Array.Fill(c0, T.NaN);
        }
        T alpha = T.CreateTruncating(t.Alpha), beta = T.CreateTruncating(t.Beta);
        T[] expected = (T[])c0.Clone();
        GemmScalar.Multiply(t.TransA, t.TransB, t.M, t.N, t.K, alpha, a, t.Lda, b, t.Ldb, beta, expected, t.Ldc);
        T[] actual = (T[])c0.Clone();
        bool old = GemmTuning.ForcePacked;
        GemmTuning.ForcePacked = forcePacked;
        try
        {
            Gemm.Multiply(path, t.TransA, t.TransB, t.M, t.N, t.K, alpha, a, t.Lda, b, t.Ldb, beta, actual, t.Ldc);
        }
        finally
        {
            GemmTuning.ForcePacked = old;
        }

        double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
        double gamma = 2 * (t.K + 2) * eps;
        double worst = 0;
        string? report = null;
        for (int i = 0; i < t.CLength; i++)
        {
            int row = t.Ldc == 0 ? t.M : i / t.Ldc, col = t.Ldc == 0 ? 0 : i % t.Ldc;
            bool inside = row < t.M && col < t.N;
            if (!inside)
            {
                // Padding and elements past C must be untouched (bitwise, NaN included).
                if (!actual[i].Equals(c0[i]))
                {
                    return $"{path} {t}: wrote outside C at index {i} (row {row}, col {col}).";
                }
                continue;
            }
            double bound = 0;
            for (int p = 0; p < t.K; p++)
            {
                double x = double.CreateTruncating(t.TransA ? a[(p * t.Lda) + row] : a[(row * t.Lda) + p]);
                double y = double.CreateTruncating(t.TransB ? b[(col * t.Ldb) + p] : b[(p * t.Ldb) + col]);
                bound += Math.Abs(x * y);
            }
            double cOld = nanInC || t.Beta == 0 ? 0 : Math.Abs(double.CreateTruncating(c0[i]));
            double tol = (gamma * ((Math.Abs(t.Alpha) * bound) + (Math.Abs(t.Beta) * cOld))) + 1e-30;
            double got = double.CreateTruncating(actual[i]), want = double.CreateTruncating(expected[i]);
            double err = Math.Abs(got - want);
            if (!(err <= tol) && (err / tol > worst || double.IsNaN(err)))
            {
                worst = double.IsNaN(err) ? double.PositiveInfinity : err / tol;
                report = $"{path} {typeof(T).Name} {t}: C[{row},{col}] = {got}, reference {want}, |error| {err:G3} > tolerance {tol:G3}.";
            }
        }
        return report;
    }
}
