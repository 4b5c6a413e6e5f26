using Xunit;

namespace FastMlp.Tests.Training;

public class LearningRateFinderTests
{
    [Fact]
    public void Finds_a_rate_on_the_falling_slope_and_leaves_the_model_unchanged()
    {
        var random = new Random(2);
        double[] x = Enumerable.Range(0, 400 * 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        int[] labels = Enumerable.Range(0, 400).Select(r => x[r * 4] + x[r * 4 + 1] > 0 ? 1 : 0).ToArray();
        var data = Dataset<double>.ForClassification(x, labels, 4, 2);
        var model = new Mlp<double>([4, 16, 2], Activation.Tanh, Activation.Softmax, 3);
        double[] before = model.GetWeights(0).ToArray();
        LearningRateFinderResult r = LearningRateFinder.Run(model, new TrainerOptions<double>
        {
            Loss = Loss.SoftmaxCrossEntropy,
            Optimizer = Optimizer.Sgd(0.1),
            BatchSize = 16,
        }, data, minRate: 1e-5, maxRate: 100, steps: 120);
        Assert.Equal(before, model.GetWeights(0).ToArray());
        Assert.True(r.Rates.Count >= 3);
        for (int i = 1; i < r.Rates.Count; i++)
        {
            Assert.Equal(r.Rates[i - 1] * Math.Pow(1e7, 1.0 / 119), r.Rates[i], r.Rates[i] * 1e-9);
        }
        // A sensible rate for this problem lies well inside the swept range.
        Assert.InRange(r.SuggestedRate, 1e-3, 10);
    }
}
