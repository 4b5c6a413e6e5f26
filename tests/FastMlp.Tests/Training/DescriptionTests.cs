using System.Globalization;
using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>
/// The descriptions a checkpoint records (optimizer and schedule <c>ToString</c>): every setting appears under its
/// name in the invariant culture, so a fit resumes only with an optimizer and schedule configured alike; and the
/// optimizer state each rule keeps (mutation testing found the text and the state count unchecked).
/// </summary>
public class DescriptionTests
{
    /// <summary>A culture writing 0,5 (the tests run in invariant-globalization mode, so no named culture exists): it must not reach a description.</summary>
    private static CultureInfo CommaCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        return culture;
    }

    [Fact]
    public void Optimizers_describe_their_kind_and_every_hyperparameter()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CommaCulture();
            Assert.Equal("SGD(lr=0.1, momentum=0.9, nesterov=True, weightDecay=0.5)", Optimizer.Sgd(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.5).ToString());
            Assert.Equal("SGD(lr=0.25, momentum=0, nesterov=False, weightDecay=0)", Optimizer.Sgd(0.25).ToString());
            Assert.Equal("Adam(lr=0.02, beta1=0.7, beta2=0.95, epsilon=0.01, weightDecay=0.2)", Optimizer.Adam(0.02, 0.7, 0.95, 1e-2, 0.2).ToString());
            Assert.Equal("AdamW(lr=0.03, beta1=0.6, beta2=0.9, epsilon=0.001, weightDecay=0.5)", Optimizer.AdamW(0.03, 0.6, 0.9, 1e-3, 0.5).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Schedules_describe_their_kind_and_every_setting()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CommaCulture();
            Assert.Equal("Constant()", LearningRateSchedule.Constant().ToString());
            Assert.Equal("Step(stepSize=10, gamma=0.5)", LearningRateSchedule.Step(10, 0.5).ToString());
            Assert.Equal("Exponential(gamma=0.9)", LearningRateSchedule.Exponential(0.9).ToString());
            Assert.Equal("InverseScaling(powerT=0.25)", LearningRateSchedule.InverseScaling(0.25).ToString());
            Assert.Equal("Cosine(totalEpochs=30, minRate=0.001)", LearningRateSchedule.Cosine(30, 0.001).ToString());
            Assert.Equal("LinearWarmup(warmupEpochs=3, then=Constant())", LearningRateSchedule.LinearWarmup(3).ToString());
            Assert.Equal("LinearWarmup(warmupEpochs=2, then=Exponential(gamma=0.5))", LearningRateSchedule.LinearWarmup(2, LearningRateSchedule.Exponential(0.5)).ToString());
            Assert.Equal("ReduceOnPlateau(factor=0.5, patience=3, threshold=0.01, cooldown=2, minRate=0.0001)",
                LearningRateSchedule.ReduceOnPlateau(0.5, 3, 0.01, 2, 1e-4).ToString());
            Assert.Equal("Adaptive(tolerance=0.001, epochsWithoutImprovement=4)", LearningRateSchedule.Adaptive(1e-3, 4).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    private sealed class Halving : LearningRateSchedule
    {
        public override double RateForEpoch(int epoch, double initialRate, long samplesSeen) => initialRate / (1 << epoch);
    }

    [Fact]
    public void A_schedule_defined_elsewhere_is_described_by_its_full_type_name() =>
        Assert.Equal(typeof(Halving).FullName, new Halving().ToString());

    [Fact]
    public void Plain_sgd_keeps_no_state_momentum_one_vector_and_adam_two()
    {
        Assert.Equal(0, Optimizer.Sgd(0.1).StateVectors);
        Assert.Equal(0, Optimizer.Sgd(0.1, weightDecay: 0.1).StateVectors);
        Assert.Equal(1, Optimizer.Sgd(0.1, momentum: 0.5).StateVectors);
        Assert.Equal(1, Optimizer.Sgd(0.1, momentum: 0.5, nesterov: true).StateVectors);
        Assert.Equal(2, Optimizer.Adam().StateVectors);
        Assert.Equal(2, Optimizer.AdamW().StateVectors);
    }
}
