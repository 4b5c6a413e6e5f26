using System.Globalization;

namespace FastMlp;

/// <summary>
/// How much each class weighs in the training loss (<see cref="TrainerOptions{T}.ClassWeights"/>): a row of class c
/// counts w_c times (times its sample weight, if any) in the weighted mean loss Σ wᵢ·lᵢ / Σ wᵢ — PyTorch's
/// <c>CrossEntropyLoss(weight=…)</c> definition. For imbalanced classes, <see cref="Balanced"/> stops the minority class
/// from being ignored. Validation losses and metrics are not weighted.
/// </summary>
public sealed class ClassWeights
{
    private readonly double[]? _values;
    private readonly Dictionary<string, double>? _byName;

    private ClassWeights(double[]? values, Dictionary<string, double>? byName)
    {
        _values = values;
        _byName = byName;
    }

    /// <summary>
    /// w_c = n / (k·n_c) over the training data: n rows, k classes present, n_c rows of class c (scikit-learn's and
    /// Keras's "balanced"), so every class carries the same total weight.
    /// </summary>
    public static ClassWeights Balanced() => new(null, null);

    /// <summary>One weight per class, by label.</summary>
    /// <exception cref="ArgumentException">A weight is negative, NaN or infinite, or all are 0.</exception>
    public static ClassWeights Of(params double[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Guard.EachNonNegative<double>(weights, "The weight of class", "class weights");
        if (weights.Length > 0 && weights.All(w => w == 0))
        {
            ThrowHelper.Argument(nameof(weights), "Every class weight is 0: nothing would be learned.");
        }
        return new ClassWeights([.. weights], null);
    }

    /// <summary>Weights by class name; classes not named weigh 1. Names are matched when a fit starts.</summary>
    /// <exception cref="ArgumentException">A weight is negative, NaN or infinite.</exception>
    public static ClassWeights ByName(IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Guard.EachNonNegative(weights, "The weight of class", "class weights");
        return new ClassWeights(null, weights.ToDictionary(StringComparer.Ordinal));
    }

    /// <summary><c>balanced</c>, <c>[1, 3]</c> or <c>{no: 1, yes: 5}</c>: recorded in checkpoints.</summary>
    public override string ToString() =>
        _values is { } values ? "[" + string.Join(", ", values.Select(Number)) + "]"
        : _byName is { } byName ? "{" + string.Join(", ", byName.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {Number(p.Value)}")) + "}"
        : "balanced";

    /// <summary>The weight of every class of <paramref name="train"/>, by label.</summary>
    internal double[] Resolve<T>(Dataset<T> train) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const string option = "options.ClassWeights";
        if (!train.IsClassification)
        {
            ThrowHelper.Argument(option, "ClassWeights need class labels, but the training data is a regression.");
        }
        int classes = train.ClassCount;
        if (_values is { } values)
        {
            if (values.Length != classes)
            {
                ThrowHelper.Argument(option, $"{values.Length} class weights were given, but the training data has {classes} classes ({string.Join(", ", train.ClassNames)}).");
            }
            return values;
        }
        var weights = new double[classes];
        if (_byName is { } byName)
        {
            string[] unknown = [.. byName.Keys.Where(name => !train.ClassNames.Contains(name)).Order(StringComparer.Ordinal)];
            if (unknown.Length > 0)
            {
                ThrowHelper.Argument(option, $"Class weights name {(unknown.Length == 1 ? "a class" : "classes")} the data does not have: {string.Join(", ", unknown)}; the classes are: {string.Join(", ", train.ClassNames)}.");
            }
            for (int c = 0; c < classes; c++)
            {
                weights[c] = byName.GetValueOrDefault(train.ClassNames[c], 1);
            }
            if (weights.All(w => w == 0))
            {
                ThrowHelper.Argument(option, "Every class weight is 0: nothing would be learned.");
            }
            return weights;
        }
        var counts = new long[classes];
        foreach (int label in train.Labels.Span)
        {
            counts[label]++;
        }
        int present = counts.Count(n => n > 0);
        for (int c = 0; c < classes; c++)
        {
            // A class without training rows has no loss to weigh: 1 keeps the vector finite.
            weights[c] = counts[c] > 0 ? (double)train.Rows / (present * counts[c]) : 1;
        }
        return weights;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
