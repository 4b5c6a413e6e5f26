using FastMlp.Cli.Training;

namespace FastMlp.Cli.Demos;

/// <summary>The numbers behind <c>demo linear</c>: data, the closed-form answer, the stability limit, and descents.</summary>
internal static class LinearDemo
{
    /// <summary><paramref name="n"/> points with x uniform in [0, 2] and y = b + m·x + N(0, σ²), from a seeded generator.</summary>
    public static (double[] X, double[] Y) Data(int n, double m, double b, double sigma, int seed)
    {
        var random = new Random(seed);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = random.NextDouble() * 2;
            double gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[i] = b + m * x[i] + sigma * gauss;
        }
        return (x, y);
    }

    /// <summary>The minimum of J in closed form: m = cov(x, y) / var(x), b = ȳ − m·x̄.</summary>
    public static (double M, double B) LeastSquares(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double m = sxx > 0 ? sxy / sxx : 0;
        return (m, my - m * mx);
    }

    /// <summary>
    /// Full-batch gradient descent on J converges only for lr &lt; 2/λmax, where λmax is the largest eigenvalue of
    /// J's (constant) Hessian 2/N·[[Σx², Σx], [Σx, N]].
    /// </summary>
    public static double StabilityLimit(double[] x)
    {
        double a = 2 * x.Sum(v => v * v) / x.Length, c = 2 * x.Average(), d = 2;
        double lambdaMax = (a + d) / 2 + Math.Sqrt((a - d) * (a - d) / 4 + c * c);
        return 2 / lambdaMax;
    }

    /// <summary>A tiny (crawls), a good (converges) and a too large (zig-zags off) rate for this data.</summary>
    public static double[] AutoRates(double limit) => [Round3(0.05 * limit), Round3(0.65 * limit), Round3(1.1 * limit)];

    private static double Round3(double v) => double.Parse(v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The path of (m, b): index 0 is the start (0, 0), index e + 1 after epoch e; the cost per epoch.</summary>
    public sealed record Descent(double[] M, double[] B, double[] Cost, TrainingStatus Status)
    {
        public bool Diverged => Status == TrainingStatus.Diverged || Cost.Length == 0 || Cost.Any(c => !double.IsFinite(c)) || !double.IsFinite(M[^1]) || !double.IsFinite(B[^1]);

        /// <summary>The path up to its last finite point (a diverging one overflows in the end).</summary>
        public double[] FiniteM => [.. M.TakeWhile((v, i) => double.IsFinite(v) && double.IsFinite(B[i]))];

        public double[] FiniteB => [.. B.TakeWhile((v, i) => double.IsFinite(v) && double.IsFinite(M[i]))];
    }

    /// <summary>Fits y = b + m·x with the library: a 1-1 identity network, MSE, plain SGD on the full batch.</summary>
    public static Descent Run(double[] x, double[] y, double rate, int epochs, CancellationToken cancellation)
    {
        var data = Dataset<double>.ForRegression(x, y, 1);
        var model = new Mlp<double>([1, 1], Activation.Identity, Activation.Identity, seed: 0);
        model.SetWeights(0, [0.0]);
        model.SetBiases(0, [0.0]);
        var options = new TrainerOptions<double>
        {
            Loss = Loss.MeanSquaredError,
            Optimizer = Optimizer.Sgd(rate),
            BatchSize = x.Length,
            Epochs = epochs,
            Shuffle = false,
            DivergenceFactor = double.PositiveInfinity,
        };
        var ms = new List<double> { 0 };
        var bs = new List<double> { 0 };
        var cost = new List<double>();
        TrainingHistory history;
        using (var trainer = new Trainer<double>(model, options))
        {
            history = trainer.Fit(data, null, new SynchronousProgress<EpochReport>(_ =>
            {
                double mi = model.GetWeights(0)[0], bi = model.GetBiases(0)[0];
                ms.Add(mi);
                bs.Add(bi);
                cost.Add(Cost(x, y, mi, bi));
            }), cancellation);
        }
        return new Descent([.. ms], [.. bs], [.. cost], history.Status);
    }

    /// <summary>What a path did, in the lecture's words.</summary>
    public static string Describe(Descent run, (double M, double B) minimum, double rate, double limit)
    {
        if (run.Diverged || rate >= limit)
        {
            return "too large: zig-zags off (diverges)";
        }
        double gap = Math.Max(Math.Abs(run.M[^1] - minimum.M), Math.Abs(run.B[^1] - minimum.B));
        double scale = Math.Max(Math.Max(Math.Abs(minimum.M), Math.Abs(minimum.B)), 1e-12);
        return gap <= 0.01 * scale ? "converges" : rate < 0.2 * limit ? "tiny: crawls" : "still on its way";
    }

    public static double Cost(double[] x, double[] y, double m, double b)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = b + m * x[i] - y[i];
            sum += d * d;
        }
        return sum / x.Length;
    }
}
