namespace FastMlp;

/// <summary>The outcome of a learning-rate range test.</summary>
public sealed class LearningRateFinderResult
{
    internal LearningRateFinderResult(double[] rates, double[] losses, double[] smoothed, double suggested)
    {
        Rates = rates;
        Losses = losses;
        SmoothedLosses = smoothed;
        SuggestedRate = suggested;
    }

    /// <summary>The rate of each step (exponentially increasing).</summary>
    public IReadOnlyList<double> Rates { get; }

    /// <summary>The batch loss at each step.</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Exponentially smoothed, bias-corrected losses.</summary>
    public IReadOnlyList<double> SmoothedLosses { get; }

    /// <summary>The rate where the smoothed loss falls fastest against log(rate).</summary>
    public double SuggestedRate { get; }
}
