namespace FastMlp.Verification;

/// <summary>The outcome of a gradient check.</summary>
public sealed class GradientCheckResult
{
    /// <summary>Parameters the model has (checked or not).</summary>
    public int ParametersInModel { get; init; }

    /// <summary>Per layer, input side first: parameters checked and the largest absolute and relative errors.</summary>
    public IReadOnlyList<LayerGradientError> Layers { get; init; } = [];

    /// <summary>Mean loss at the unperturbed parameters (double-precision reference).</summary>
    public double Loss { get; init; }

    /// <summary>Largest |analytic − numeric| over checked parameters.</summary>
    public double MaxAbsoluteError { get; init; }

    /// <summary>Largest |a − n| / max(|a| + |n|, floor).</summary>
    public double MaxRelativeError { get; init; }

    /// <summary>Parameters compared.</summary>
    public int ParametersChecked { get; init; }

    /// <summary>Parameters skipped because a perturbation crossed a kink (ReLU at 0, |ŷ − y| at 0), where finite differences are invalid.</summary>
    public int ParametersSkipped { get; init; }

    /// <summary>The parameter with the largest relative error.</summary>
    public ParameterLocation Worst { get; init; }

    /// <summary>Backprop gradient of <see cref="Worst"/>.</summary>
    public double WorstAnalytic { get; init; }

    /// <summary>Finite-difference gradient of <see cref="Worst"/>.</summary>
    public double WorstNumeric { get; init; }

    /// <summary>The errors, the worst parameter and the counts in one line.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"max abs error {MaxAbsoluteError:G3}, max rel error {MaxRelativeError:G3} at {Worst} (analytic {WorstAnalytic:G6}, numeric {WorstNumeric:G6}); {ParametersChecked} checked, {ParametersSkipped} skipped at kinks");
}
