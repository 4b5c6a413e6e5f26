namespace FastMlp;

/// <summary>
/// Learning-rate range test (Smith 2015, fastai's lr_find): trains a copy of the model for a number of
/// steps with the rate growing exponentially from a minimum to a maximum, records the loss per rate and
/// suggests the rate of steepest descent of the smoothed loss. The model itself is not changed.
/// </summary>
public static class LearningRateFinder
{
    /// <summary>Runs the range test on mini-batches of <paramref name="data"/> using <paramref name="options"/>' loss, optimizer, batch size and seed.</summary>
    public static LearningRateFinderResult Run<T>(Mlp<T> model, TrainerOptions<T> options, Dataset<T> data,
                                                  double minRate = 1e-7, double maxRate = 10, int steps = 100, double smoothing = 0.98)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        Optimizer.CheckRate(minRate, nameof(minRate));
        Optimizer.CheckRate(maxRate, nameof(maxRate));
        Guard.GreaterThan(maxRate, minRate, "maxRate", " (minRate)");
        Guard.AtLeast(steps, 2, "Steps");
        Guard.InRange(smoothing, 0, 1, "Smoothing");

        Mlp<T> copy = model.Clone();
        using var trainer = new Trainer<T>(copy, options);
        int outputs = copy.OutputCount, inputs = copy.InputCount;
        int batch = Math.Min(options.BatchSize, data.Rows);
        if (options.Standardize)
        {
            copy.Standardizer = Standardizer<T>.Fit(data);
        }
        var order = new int[data.Rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var random = new Random(options.Seed);
        var x = new T[batch * inputs];
        var y = new T[batch * outputs];
        var rates = new List<double>(steps);
        var losses = new List<double>(steps);
        var smoothed = new List<double>(steps);
        double factor = Math.Pow(maxRate / minRate, 1.0 / (steps - 1)), average = 0, best = double.PositiveInfinity;
        int position = data.Rows;
        for (int step = 0; step < steps; step++)
        {
            if (position + batch > data.Rows)
            {
                random.Shuffle(order);
                position = 0;
            }
            // The standardizer is applied by Step itself, so gather raw rows.
            data.Gather(order.AsSpan(position, batch), null, x, y, outputs);
            position += batch;
            double rate = minRate * Math.Pow(factor, step);
            trainer.LearningRate = rate;
            double loss = double.CreateTruncating(trainer.Step(x, y, batch));
            if (!double.IsFinite(loss))
            {
                break;
            }
            average = smoothing * average + (1 - smoothing) * loss;
            double corrected = average / (1 - Math.Pow(smoothing, step + 1));
            rates.Add(rate);
            losses.Add(loss);
            smoothed.Add(corrected);
            best = Math.Min(best, corrected);
            // Past a 4× blow-up the curve says nothing more.
            if (corrected > 4 * best && step > 0)
            {
                break;
            }
        }
        return new LearningRateFinderResult([.. rates], [.. losses], [.. smoothed], Suggest(rates, smoothed));
    }

    private static double Suggest(List<double> rates, List<double> smoothed)
    {
        if (rates.Count < 3)
        {
            return rates.Count > 0 ? rates[0] : double.NaN;
        }
        int bestIndex = 1;
        double steepest = double.PositiveInfinity;
        for (int i = 1; i < rates.Count - 1; i++)
        {
            // Central slope d(loss)/d(log rate)
            double slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.Log(rates[i + 1]) - Math.Log(rates[i - 1]));
            if (slope < steepest)
            {
                steepest = slope;
                bestIndex = i;
            }
        }
        return rates[bestIndex];
    }
}
