using System.Globalization;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// Every range check of the optimizer, early-stopping and schedule factories (and of the trainer, decision threshold,
/// learning-rate finder and dataset) at its boundary, and each kind of <see cref="Guard"/> check: the boundary value
/// is accepted, the value just past it (and ∞/NaN where the rule says finite) is rejected with the parameter's name
/// and the offending value in the message (mutation testing found these boundaries and messages unchecked).
/// </summary>
public class ArgumentBoundaryTests
{
    private static void Rejects(Action create, string parameter, double value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(value.ToString(CultureInfo.CurrentCulture), e.Message);
    }

    public static TheoryData<string, double> OptimizerRejections => new()
    {
        { "learningRate", 0 }, { "learningRate", double.PositiveInfinity }, { "learningRate", double.NaN },
        { "momentum", 1 }, { "momentum", -0.1 }, { "weightDecay", -1e-9 }, { "weightDecay", double.PositiveInfinity },
        { "beta1", 1 }, { "beta1", -0.1 }, { "beta2", 1 }, { "beta2", -0.1 },
        { "epsilon", 0 }, { "epsilon", double.PositiveInfinity }, { "epsilon", double.NaN },
    };

    [Theory]
    [MemberData(nameof(OptimizerRejections))]
    public void Optimizer_values_past_each_boundary_are_rejected_by_name(string parameter, double value)
    {
        double Pick(string name, double fallback) => name == parameter ? value : fallback;
        if (parameter is "learningRate" or "momentum" or "weightDecay")
        {
            Rejects(() => Optimizer.Sgd(Pick("learningRate", 0.1), Pick("momentum", 0.5), weightDecay: Pick("weightDecay", 0)), parameter, value);
        }
        if (parameter is not "momentum")
        {
            Rejects(() => Optimizer.Adam(Pick("learningRate", 0.1), Pick("beta1", 0.9), Pick("beta2", 0.99), Pick("epsilon", 1e-8), Pick("weightDecay", 0)), parameter, value);
            Rejects(() => Optimizer.AdamW(Pick("learningRate", 0.1), Pick("beta1", 0.9), Pick("beta2", 0.99), Pick("epsilon", 1e-8), Pick("weightDecay", 0)), parameter, value);
        }
    }

    [Fact]
    public void Optimizer_boundary_values_are_accepted()
    {
        Assert.Equal(0, Optimizer.Sgd(1e-300, momentum: 0, weightDecay: 0).Momentum);
        Optimizer adam = Optimizer.Adam(1e-300, beta1: 0, beta2: 0, epsilon: double.Epsilon, weightDecay: 0);
        Assert.Equal((0.0, 0.0, double.Epsilon), (adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Equal(0, Optimizer.AdamW(weightDecay: 0).WeightDecay);
        var e = Assert.Throws<ArgumentException>(() => Optimizer.Sgd(0.1, momentum: 0, nesterov: true));
        Assert.Equal("nesterov", e.ParamName);
        Assert.Contains("momentum > 0", e.Message);
        Assert.False(Optimizer.Adam().Nesterov);
        Assert.False(Optimizer.AdamW().Nesterov);
    }

    [Fact]
    public void Early_stopping_boundaries()
    {
        new EarlyStopping { Patience = 1, MinDelta = 0 }.Validate();
        Rejects(() => new EarlyStopping { Patience = 0 }.Validate(), "Patience", 0);
        Rejects(() => new EarlyStopping { MinDelta = -1e-12 }.Validate(), "MinDelta", -1e-12);
        Rejects(() => new EarlyStopping { MinDelta = double.PositiveInfinity }.Validate(), "MinDelta", double.PositiveInfinity);
        Rejects(() => new EarlyStopping { MinDelta = double.NaN }.Validate(), "MinDelta", double.NaN);
        new EarlyStopping { Monitor = EarlyStoppingMetric.RSquared }.Validate();
        Rejects(() => new EarlyStopping { Monitor = (EarlyStoppingMetric)7 }.Validate(), "Monitor", 7);
        Assert.StartsWith("7 is not an EarlyStoppingMetric value; valid: Loss (0), ", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping { Monitor = (EarlyStoppingMetric)7 }.Validate()).Message);
    }

    [Fact]
    public void Schedule_boundaries()
    {
        // Accepted at the boundary.
        Assert.NotNull(LearningRateSchedule.Step(1, 1e-300));
        Assert.NotNull(LearningRateSchedule.InverseScaling(0));
        Assert.NotNull(LearningRateSchedule.Cosine(1, 0));
        Assert.NotNull(LearningRateSchedule.LinearWarmup(1));
        Assert.NotNull(LearningRateSchedule.ReduceOnPlateau(factor: 0.999, patience: 0, threshold: 0, cooldown: 0, minRate: 0));
        Assert.NotNull(LearningRateSchedule.Adaptive(tolerance: 0, epochsWithoutImprovement: 1));
        // Rejected just past it.
        Rejects(() => LearningRateSchedule.Step(0), "stepSize", 0);
        Rejects(() => LearningRateSchedule.Step(2, 0), "gamma", 0);
        Rejects(() => LearningRateSchedule.Step(2, double.PositiveInfinity), "gamma", double.PositiveInfinity);
        Rejects(() => LearningRateSchedule.Exponential(0), "gamma", 0);
        Rejects(() => LearningRateSchedule.Exponential(double.NaN), "gamma", double.NaN);
        Rejects(() => LearningRateSchedule.InverseScaling(-1e-9), "powerT", -1e-9);
        Rejects(() => LearningRateSchedule.InverseScaling(double.PositiveInfinity), "powerT", double.PositiveInfinity);
        Rejects(() => LearningRateSchedule.Cosine(0), "totalEpochs", 0);
        Rejects(() => LearningRateSchedule.Cosine(5, -1e-9), "minRate", -1e-9);
        Rejects(() => LearningRateSchedule.Cosine(5, double.PositiveInfinity), "minRate", double.PositiveInfinity);
        Rejects(() => LearningRateSchedule.LinearWarmup(0), "warmupEpochs", 0);
        Rejects(() => LearningRateSchedule.ReduceOnPlateau(factor: 0), "factor", 0);
        Rejects(() => LearningRateSchedule.ReduceOnPlateau(factor: 1), "factor", 1);
        Rejects(() => LearningRateSchedule.ReduceOnPlateau(patience: -1), "patience", -1);
        Rejects(() => LearningRateSchedule.ReduceOnPlateau(cooldown: -1), "cooldown", -1);
        Rejects(() => LearningRateSchedule.ReduceOnPlateau(threshold: -1e-9), "threshold", -1e-9);
        Rejects(() => LearningRateSchedule.ReduceOnPlateau(minRate: -1e-9), "minRate", -1e-9);
        Rejects(() => LearningRateSchedule.Adaptive(tolerance: -1e-9), "tolerance", -1e-9);
        Rejects(() => LearningRateSchedule.Adaptive(epochsWithoutImprovement: 0), "epochsWithoutImprovement", 0);
    }

    [Fact]
    public void Range_checks_of_the_trainer_threshold_finder_and_dataset_boundaries()
    {
        var model = new Mlp<double>([2, 3, 1], Activation.Tanh, Activation.Sigmoid, 1);
        // Divergence factor > 1 (infinity: never diverges).
        using (new Trainer<double>(model, new TrainerOptions<double> { DivergenceFactor = 1.0000001 }))
        using (new Trainer<double>(model, new TrainerOptions<double> { DivergenceFactor = double.PositiveInfinity }))
        {
        }
        Rejects(() => new Trainer<double>(model, new TrainerOptions<double> { DivergenceFactor = 1 }), "options.DivergenceFactor", 1);
        Rejects(() => new Trainer<double>(model, new TrainerOptions<double> { DivergenceFactor = double.NaN }), "options.DivergenceFactor", double.NaN);
        // Decision threshold strictly inside (0, 1).
        model.DecisionThreshold = 1e-300;
        model.DecisionThreshold = Math.BitDecrement(1.0);
        Rejects(() => model.DecisionThreshold = 0, "value", 0);
        Rejects(() => model.DecisionThreshold = 1, "value", 1);
        // The finder's maximum rate above its minimum.
        Dataset<double> data = Dataset<double>.ForClassification([0, 0, 1, 1, 0, 1], [0, 1, 1], 2, 2);
        Rejects(() => LearningRateFinder.Run(model, new TrainerOptions<double> { Loss = Loss.BinaryCrossEntropy }, data, minRate: 0.1, maxRate: 0.1), "maxRate", 0.1);
        Assert.NotEmpty(LearningRateFinder.Run(model, new TrainerOptions<double> { Loss = Loss.BinaryCrossEntropy }, data, minRate: 0.1, maxRate: Math.BitIncrement(0.1), steps: 2).Rates);
        // Classes ≥ 2, labels in [0, classCount), rows and slices inside the dataset.
        Rejects(() => Dataset<double>.ForClassification([0, 0], [0], 2, 1), "classCount", 1);
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => Dataset<double>.ForClassification([0, 0, 1, 1], [1, 2], 2, 2));
        Assert.Equal("labels", label.ParamName);
        Assert.StartsWith("Label of row 1 is 2, outside the class range [0, 1].", label.Message);
        Assert.Equal(3, data.Subset([2, 0, 2]).Rows);
        var row = Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([0, 3]));
        Assert.Equal("rows", row.ParamName);
        Assert.StartsWith("Row index at position 1 is 3, outside the dataset's rows [0, 2].", row.Message);
        Assert.Equal(1, data.Slice(2, 1).Rows);
        Rejects(() => data.Slice(-1, 1), "start", -1);
        Rejects(() => data.Slice(3, 1), "start", 3);
        Rejects(() => data.Slice(1, 3), "count", 3);
        Rejects(() => data.Slice(0, 0), "count", 0);
    }

    [Fact]
    public void Guard_AtMost_and_Between_accept_their_bounds_and_name_the_value_past_them()
    {
        long folds = 3, threads = 1;
        Guard.AtMost(folds, 3, "Folds");
        Guard.Between(threads, 1, 1024, "Thread count");
        threads = 1024;
        Guard.Between(threads, 1, 1024, "Thread count");
        folds = 4;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.AtMost(folds, 3, "Folds", " (the row count)"));
        Assert.Equal("folds", e.ParamName);
        Assert.StartsWith("Folds must be ≤ 3 (the row count), but was 4.", e.Message);
        foreach (long outside in new long[] { 0, 1025, long.MinValue })
        {
            e = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.Between(outside, 1, 1024, "Thread count"));
            Assert.Equal("outside", e.ParamName);
            Assert.StartsWith($"Thread count must be in [1, 1024], but was {outside}.", e.Message);
        }
    }

    [Fact]
    public void Guard_GreaterThan_and_InRangeExclusive_refuse_their_bounds_and_NaN()
    {
        double factor = Math.BitIncrement(1.0);
        Guard.GreaterThan(factor, 1, "Factor");
        Guard.GreaterThan(double.PositiveInfinity, 1, "Factor");
        Guard.InRangeExclusive(Math.BitDecrement(1.0), 0, 1, "Threshold");
        Guard.InRangeExclusive(double.Epsilon, 0, 1, "Threshold");
        foreach (double bad in new[] { 1, double.NaN, double.NegativeInfinity })
        {
            Rejects(() => Guard.GreaterThan(bad, 1, "Factor", " (the minimum)"), "bad", bad);
            Assert.StartsWith($"Factor must be > 1 (the minimum), but was {bad}.", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.GreaterThan(bad, 1, "Factor", " (the minimum)")).Message);
        }
        foreach (double bad in new[] { 0, 1, double.NaN, -0.5, double.PositiveInfinity })
        {
            Rejects(() => Guard.InRangeExclusive(bad, 0, 1, "Threshold"), "bad", bad);
            Assert.StartsWith($"Threshold must be strictly between 0 and 1, but was {bad}.", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.InRangeExclusive(bad, 0, 1, "Threshold")).Message);
        }
    }

    private enum Sparse
    {
        One = 1,
        Four = 4,
    }

    private enum Wide : long
    {
        Zero,
        One,
    }

    [Fact]
    public void Guard_Defined_accepts_every_named_value_and_lists_them_for_any_other()
    {
        foreach (Activation a in Enum.GetValues<Activation>())
        {
            Guard.Defined(a);
        }
        Guard.Defined(Sparse.Four);
        Guard.Defined(Wide.One);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.Defined((Activation)6, "hidden"));
        Assert.Equal("hidden", e.ParamName);
        Assert.StartsWith("6 is not an Activation value; valid: Identity (0), Sigmoid (1), Tanh (2), ReLU (3), LeakyReLU (4), Softmax (5).", e.Message);
        Activation negative = (Activation)(-1);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.Defined(negative));
        Assert.Equal("negative", e.ParamName);
        Assert.StartsWith("-1 is not an Activation value;", e.Message);
        // Not 0…n−1, or not int-sized: the general lookup.
        Assert.StartsWith("2 is not a Sparse value; valid: One (1), Four (4).", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.Defined((Sparse)2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Guard.Defined((Sparse)0));
        Assert.StartsWith("4294967296 is not a Wide value; valid: Zero (0), One (1).", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.Defined((Wide)(1L << 32))).Message);
    }

    [Fact]
    public void Guard_span_checks_accept_their_boundaries_and_name_the_first_value_outside()
    {
        Guard.EachNonNegative<double>([0, 1, double.MaxValue], "Weight of row", "weights");
        Guard.EachNonNegative<float>([], "Weight of row", "weights");
        Guard.EachPositive<double>([double.Epsilon, 1], "Fraction", "fractions");
        Guard.EachAtLeast([1, 5, int.MaxValue], 1, "Layer size");
        Guard.EachIndex([0, 2, 1], 3, "Label of row", "the class range");
        Guard.EachNonNegative(new Dictionary<string, double> { ["a"] = 0 }, "The weight of class", "class weights");

        float[] weights = [1, -1e-30f, float.NaN];
        var e = Assert.Throws<ArgumentException>(() => Guard.EachNonNegative<float>(weights, "Weight of row", "weights"));
        Assert.Equal("weights", e.ParamName);
        Assert.StartsWith($"Weight of row 1 is {-1e-30f}; weights must be finite and ≥ 0.", e.Message);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity })
        {
            Assert.StartsWith($"Weight of row 0 is {bad};", Assert.Throws<ArgumentException>(() => Guard.EachNonNegative<double>([bad], "Weight of row", "weights")).Message);
        }
        var byName = Assert.Throws<ArgumentException>(() => Guard.EachNonNegative(new Dictionary<string, double> { ["a"] = 1, ["b"] = -2 }, "The weight of class", "class weights", "weights"));
        Assert.Equal("weights", byName.ParamName);
        Assert.StartsWith($"The weight of class 'b' is {-2.0}; class weights must be finite and ≥ 0.", byName.Message);
        double[] fractions = [0.5, 0];
        e = Assert.Throws<ArgumentException>(() => Guard.EachPositive<double>(fractions, "Fraction", "fractions"));
        Assert.Equal("fractions", e.ParamName);
        Assert.StartsWith("Fraction 1 is 0; fractions must be finite and > 0.", e.Message);

        int[] sizes = [3, 0, 2];
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.EachAtLeast(sizes, 1, "Layer size"));
        Assert.Equal("sizes", range.ParamName);
        Assert.StartsWith("Layer size 1 must be ≥ 1, but was 0.", range.Message);
        foreach (int bad in new[] { -1, 3 })
        {
            int[] labels = [0, bad];
            range = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.EachIndex(labels, 3, "Label of row", "the class range"));
            Assert.Equal("labels", range.ParamName);
            Assert.StartsWith($"Label of row 1 is {bad}, outside the class range [0, 2].", range.Message);
        }
    }

    [Fact]
    public void Cosine_reaches_the_minimum_at_the_last_epoch_and_stays()
    {
        LearningRateSchedule s = LearningRateSchedule.Cosine(4, 0.01);
        Assert.Equal(0.1, s.RateForEpoch(0, 0.1, 0), 15);
        Assert.Equal(0.01, s.RateForEpoch(4, 0.1, 0), 15);
        Assert.Equal(0.01, s.RateForEpoch(9, 0.1, 0), 15);
    }

    private static string Message(Action create) => Assert.Throws<ArgumentOutOfRangeException>(create).Message;

    /// <summary>Each message starts with what the value is and the rule it breaks, in words.</summary>
    [Fact]
    public void Messages_say_what_the_value_is_and_the_rule()
    {
        Assert.StartsWith("Learning rate must be a finite number > 0, but was 0.", Message(() => Optimizer.Sgd(0)));
        Assert.StartsWith("Learning rate must be a finite number > 0, but was 0.", Message(() => Optimizer.Adam(0)));
        Assert.StartsWith("momentum must be in [0, 1), but was 1.", Message(() => Optimizer.Sgd(0.1, momentum: 1)));
        Assert.StartsWith("Weight decay must be a finite number ≥ 0, but was -1.", Message(() => Optimizer.Sgd(0.1, weightDecay: -1)));
        Assert.StartsWith("Weight decay must be a finite number ≥ 0, but was -1.", Message(() => Optimizer.AdamW(weightDecay: -1)));
        Assert.StartsWith("beta1 must be in [0, 1), but was 1.", Message(() => Optimizer.Adam(beta1: 1)));
        Assert.StartsWith("beta2 must be in [0, 1), but was 1.", Message(() => Optimizer.Adam(beta2: 1)));
        Assert.StartsWith("Epsilon must be a finite number > 0, but was 0.", Message(() => Optimizer.Adam(epsilon: 0)));
        Assert.StartsWith("Early-stopping patience must be ≥ 1 epoch, but was 0.", Message(() => new EarlyStopping { Patience = 0 }.Validate()));
        Assert.StartsWith("Early-stopping MinDelta must be a finite number ≥ 0, but was -1.", Message(() => new EarlyStopping { MinDelta = -1 }.Validate()));
        Assert.StartsWith("Step size must be ≥ 1 epoch, but was 0.", Message(() => LearningRateSchedule.Step(0)));
        Assert.StartsWith("gamma must be a finite number > 0, but was 0.", Message(() => LearningRateSchedule.Step(1, 0)));
        Assert.StartsWith("gamma must be a finite number > 0, but was 0.", Message(() => LearningRateSchedule.Exponential(0)));
        Assert.StartsWith("powerT must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.InverseScaling(-1)));
        Assert.StartsWith("Total epochs must be ≥ 1, but was 0.", Message(() => LearningRateSchedule.Cosine(0)));
        Assert.StartsWith("Minimum rate must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.Cosine(1, -1)));
        Assert.StartsWith("Warm-up epochs must be ≥ 1, but was 0.", Message(() => LearningRateSchedule.LinearWarmup(0)));
        Assert.StartsWith("Factor must be strictly between 0 and 1, but was 0.", Message(() => LearningRateSchedule.ReduceOnPlateau(factor: 0)));
        Assert.StartsWith("Factor must be strictly between 0 and 1, but was 1.", Message(() => LearningRateSchedule.ReduceOnPlateau(factor: 1)));
        Assert.StartsWith("Patience must be ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(patience: -1)));
        Assert.StartsWith("Cooldown must be ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(cooldown: -1)));
        Assert.StartsWith("Threshold must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(threshold: -1)));
        Assert.StartsWith("Minimum rate must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(minRate: -1)));
        Assert.StartsWith("Tolerance must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.Adaptive(tolerance: -1)));
        Assert.StartsWith("Epochs without improvement must be ≥ 1, but was 0.", Message(() => LearningRateSchedule.Adaptive(epochsWithoutImprovement: 0)));
    }
}
