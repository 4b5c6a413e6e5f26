using System.Globalization;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// Every range check of the optimizer, early-stopping and schedule factories at its boundary: the
/// boundary value is accepted, the value just past it (and ∞/NaN where the rule says finite) is rejected
/// with the parameter's name and the offending value in the message (mutation testing found these
/// boundaries and messages unchecked).
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
        Assert.Contains("Unknown early-stopping metric 7.", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping { Monitor = (EarlyStoppingMetric)7 }.Validate()).Message);
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
        Assert.StartsWith("factor must be a finite number > 0, but was 0.", Message(() => LearningRateSchedule.ReduceOnPlateau(factor: 0)));
        Assert.StartsWith("Factor must be < 1, but was 1.", Message(() => LearningRateSchedule.ReduceOnPlateau(factor: 1)));
        Assert.StartsWith("Patience must be ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(patience: -1)));
        Assert.StartsWith("Cooldown must be ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(cooldown: -1)));
        Assert.StartsWith("Threshold must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(threshold: -1)));
        Assert.StartsWith("Minimum rate must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.ReduceOnPlateau(minRate: -1)));
        Assert.StartsWith("Tolerance must be a finite number ≥ 0, but was -1.", Message(() => LearningRateSchedule.Adaptive(tolerance: -1)));
        Assert.StartsWith("Epochs without improvement must be ≥ 1, but was 0.", Message(() => LearningRateSchedule.Adaptive(epochsWithoutImprovement: 0)));
    }
}
