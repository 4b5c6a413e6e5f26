using System.CommandLine;
using System.Globalization;

namespace FastMlp.Cli.Options;

/// <summary>--threshold: the decision threshold of a binary classifier (train stores it; evaluate and predict override it).</summary>
internal static class ThresholdOption
{
    public static Option<double?> Create(string description) => new("--threshold") { Description = description };

    /// <summary>Refuses a value outside (0, 1) (before any data is loaded); returns it.</summary>
    public static double? CheckRange(double? threshold) => threshold is { } value && !(value > 0 && value < 1)
        ? throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--threshold: must be strictly between 0 and 1, but was {value}."))
        : threshold;

    /// <summary>Applies a given threshold to <paramref name="model"/> (nothing when null), refusing values outside (0, 1) and non-binary models.</summary>
    public static void Apply(double? threshold, Mlp<float> model, int classCount)
    {
        if (CheckRange(threshold) is not { } value)
        {
            return;
        }
        if (classCount != 2)
        {
            throw new CliException(classCount == 0
                ? "--threshold: applies to binary classification, but this is a regression model."
                : $"--threshold: applies to binary classification, but the model has {classCount} classes.");
        }
        model.DecisionThreshold = value;
    }
}
