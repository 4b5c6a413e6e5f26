using System.Globalization;

namespace FastMlp;

/// <summary>
/// Sets the learning rate at the start of every epoch. Build one with the static factories; a
/// schedule instance keeps state (plateau counters), is reset when <see cref="Trainer{T}.Fit"/> starts,
/// and must not be shared by trainers running at the same time.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Forgets all state; called when a fit starts.</summary>
    public virtual void Reset(double initialRate)
    {
    }

    /// <summary>The learning rate for epoch <paramref name="epoch"/> (0-based).</summary>
    /// <param name="initialRate">The optimizer's learning rate.</param>
    /// <param name="samplesSeen">Training rows processed before this epoch.</param>
    public abstract double RateForEpoch(int epoch, double initialRate, long samplesSeen);

    /// <summary>Reports the monitored loss of an ended epoch (validation loss when there is validation data, else training loss).</summary>
    public virtual void EpochEnded(int epoch, double loss)
    {
    }

    /// <summary>
    /// The kind and every setting, e.g. <c>Step(stepSize=10, gamma=0.1)</c>: a checkpoint records it, so a fit is only
    /// resumed with a schedule configured alike. A schedule defined outside this library is described by its type name.
    /// </summary>
    public override string ToString() => GetType().FullName ?? GetType().Name;

    private static string Describe(FormattableString description) => description.ToString(CultureInfo.InvariantCulture);

    /// <summary>lr(e) = lr₀.</summary>
    public static LearningRateSchedule Constant() => new Formula("Constant()", (e, lr, _) => lr);

    /// <summary>lr(e) = lr₀·γ^⌊e / stepSize⌋ (PyTorch StepLR).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> is below 1, or <paramref name="gamma"/> is not a finite number > 0.</exception>
    public static LearningRateSchedule Step(int stepSize, double gamma = 0.1)
    {
        Guard.AtLeast(stepSize, 1, "Step size", " epoch");
        Guard.Positive(gamma, "gamma");
        return new Formula(Describe($"Step(stepSize={stepSize}, gamma={gamma})"), (e, lr, _) => lr * Math.Pow(gamma, e / stepSize));
    }

    /// <summary>lr(e) = lr₀·γ^e (PyTorch ExponentialLR).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is not a finite number > 0.</exception>
    public static LearningRateSchedule Exponential(double gamma)
    {
        Guard.Positive(gamma, "gamma");
        return new Formula(Describe($"Exponential(gamma={gamma})"), (e, lr, _) => lr * Math.Pow(gamma, e));
    }

    /// <summary>lr = lr₀ / (t + 1)^powerT, t = training rows seen before the epoch (scikit-learn "invscaling").</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="powerT"/> is negative or not finite.</exception>
    public static LearningRateSchedule InverseScaling(double powerT = 0.5)
    {
        Guard.NonNegative(powerT, "powerT");
        return new Formula(Describe($"InverseScaling(powerT={powerT})"), (e, lr, t) => lr / Math.Pow(t + 1, powerT));
    }

    /// <summary>lr(e) = min + (lr₀ − min)·(1 + cos(π·e/T))/2 for e &lt; T, then min (PyTorch CosineAnnealingLR without restarts).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalEpochs"/> is below 1, or <paramref name="minRate"/> is negative or not finite.</exception>
    public static LearningRateSchedule Cosine(int totalEpochs, double minRate = 0)
    {
        Guard.AtLeast(totalEpochs, 1, "Total epochs");
        Guard.NonNegative(minRate, "Minimum rate");
        return new Formula(Describe($"Cosine(totalEpochs={totalEpochs}, minRate={minRate})"), (e, lr, _) => e >= totalEpochs ? minRate : minRate + (lr - minRate) * (1 + Math.Cos(Math.PI * e / totalEpochs)) / 2);
    }

    /// <summary>lr(e) = lr₀·(e + 1)/W for the first W epochs, then <paramref name="then"/> (constant if null) counting epochs from W.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupEpochs"/> is below 1.</exception>
    public static LearningRateSchedule LinearWarmup(int warmupEpochs, LearningRateSchedule? then = null)
    {
        Guard.AtLeast(warmupEpochs, 1, "Warm-up epochs");
        return new Warmup(warmupEpochs, then ?? Constant());
    }

    /// <summary>
    /// Multiplies the rate by <paramref name="factor"/> when the monitored loss has not improved by more than
    /// <paramref name="threshold"/> (relative) for more than <paramref name="patience"/> epochs; waits
    /// <paramref name="cooldown"/> epochs after a cut; never goes below <paramref name="minRate"/> (PyTorch ReduceLROnPlateau, mode min, rel).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range: factor ≥ 1 or ≤ 0, negative patience, cooldown or threshold, or a negative minimum rate.</exception>
    public static LearningRateSchedule ReduceOnPlateau(double factor = 0.1, int patience = 10, double threshold = 1e-4, int cooldown = 0, double minRate = 0)
    {
        Guard.InRangeExclusive(factor, 0, 1, "Factor");
        Guard.AtLeast(patience, 0, "Patience");
        Guard.AtLeast(cooldown, 0, "Cooldown");
        Guard.NonNegative(threshold, "Threshold");
        Guard.NonNegative(minRate, "Minimum rate");
        return new Plateau(factor, patience, threshold, cooldown, minRate);
    }

    /// <summary>
    /// scikit-learn "adaptive": keeps lr₀ while the monitored loss keeps improving by at least <paramref name="tolerance"/>;
    /// each time <paramref name="epochsWithoutImprovement"/> consecutive epochs fail to, divides the rate by 5 (not below 1e-6).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative, or <paramref name="epochsWithoutImprovement"/> is below 1.</exception>
    public static LearningRateSchedule Adaptive(double tolerance = 1e-4, int epochsWithoutImprovement = 2)
    {
        Guard.NonNegative(tolerance, "Tolerance");
        Guard.AtLeast(epochsWithoutImprovement, 1, "Epochs without improvement");
        return new AdaptiveSchedule(tolerance, epochsWithoutImprovement);
    }

    private sealed class Formula(string description, Func<int, double, long, double> rate) : LearningRateSchedule
    {
        public override string ToString() => description;

        public override double RateForEpoch(int epoch, double initialRate, long samplesSeen) => rate(epoch, initialRate, samplesSeen);
    }

    private sealed class Warmup(int epochs, LearningRateSchedule then) : LearningRateSchedule
    {
        public override string ToString() => Describe($"LinearWarmup(warmupEpochs={epochs}, then={then})");

        public override void Reset(double initialRate) => then.Reset(initialRate);

        public override double RateForEpoch(int epoch, double initialRate, long samplesSeen) =>
            epoch < epochs ? initialRate * (epoch + 1) / epochs : then.RateForEpoch(epoch - epochs, initialRate, samplesSeen);

        public override void EpochEnded(int epoch, double loss)
        {
            if (epoch >= epochs)
            {
                then.EpochEnded(epoch - epochs, loss);
            }
        }
    }

    private sealed class Plateau(double factor, int patience, double threshold, int cooldown, double minRate) : LearningRateSchedule
    {
        public override string ToString() =>
            Describe($"ReduceOnPlateau(factor={factor}, patience={patience}, threshold={threshold}, cooldown={cooldown}, minRate={minRate})");

        private double _rate = double.NaN, _best = double.PositiveInfinity;
        private int _badEpochs, _cooldownLeft;

        public override void Reset(double initialRate)
        {
            _rate = initialRate;
            _best = double.PositiveInfinity;
            _badEpochs = 0;
            _cooldownLeft = 0;
        }

        public override double RateForEpoch(int epoch, double initialRate, long samplesSeen) => double.IsNaN(_rate) ? _rate = initialRate : _rate;

        public override void EpochEnded(int epoch, double loss)
        {
            if (loss < _best * (1 - threshold))
            {
                _best = loss;
                _badEpochs = 0;
            }
            else
            {
                _badEpochs++;
            }
            if (_cooldownLeft > 0)
            {
                _cooldownLeft--;
                _badEpochs = 0;
            }
            if (_badEpochs > patience)
            {
                _rate = Math.Max(_rate * factor, minRate);
                _cooldownLeft = cooldown;
                _badEpochs = 0;
            }
        }
    }

    private sealed class AdaptiveSchedule(double tolerance, int epochsWithoutImprovement) : LearningRateSchedule
    {
        public override string ToString() => Describe($"Adaptive(tolerance={tolerance}, epochsWithoutImprovement={epochsWithoutImprovement})");

        private double _rate = double.NaN, _best = double.PositiveInfinity;
        private int _stalled;

        public override void Reset(double initialRate)
        {
            _rate = initialRate;
            _best = double.PositiveInfinity;
            _stalled = 0;
        }

        public override double RateForEpoch(int epoch, double initialRate, long samplesSeen) => double.IsNaN(_rate) ? _rate = initialRate : _rate;

        public override void EpochEnded(int epoch, double loss)
        {
            _stalled = loss > _best - tolerance ? _stalled + 1 : 0;
            _best = Math.Min(_best, loss);
            if (_stalled >= epochsWithoutImprovement)
            {
                _rate = Math.Max(_rate / 5, Math.Min(_rate, 1e-6));
                _stalled = 0;
            }
        }
    }
}
