namespace FastMlp.Verification;

/// <summary>Settings of <see cref="GradientCheck.Run{T}"/>.</summary>
public sealed class GradientCheckOptions
{
    /// <summary>Finite-difference step h (absolute). Default 1e-3 (the five-point stencil's error is O(h⁴)).</summary>
    public double Step { get; init; } = 1e-3;

    /// <summary>
    /// Floor of the relative-error denominator: |a − n| / max(|a| + |n|, floor), so gradients near zero are judged by
    /// absolute error. Default (null): 1e-5 for double, 1e-3 for float. (The five-point stencil's own error reaches
    /// ~1e-12 on curved losses, so a 1e-6 floor flagged correct gradients of size ~1e-7 at 1.2e-6.)
    /// </summary>
    public double? RelativeFloor { get; init; }

    /// <summary>
    /// Weights checked per layer, a seeded random sample (default 64; all of them when the layer has fewer). With
    /// <see cref="BiasesPerLayer"/> this bounds the work per layer, so a check of any architecture takes seconds.
    /// </summary>
    public int WeightsPerLayer { get; init; } = 64;

    /// <summary>Biases checked per layer, a seeded random sample (default 16; all of them when the layer has fewer).</summary>
    public int BiasesPerLayer { get; init; } = 16;

    /// <summary>Check every parameter (can take hours for large layers: each costs four forward passes). Default false.</summary>
    public bool CheckAll { get; init; }

    /// <summary>When &gt; 0: instead of the per-layer samples, at most this many parameters drawn from the whole model (default 0).</summary>
    public int MaxParameters { get; init; }

    /// <summary>Seed of the parameter sample.</summary>
    public int Seed { get; init; }

    /// <summary>Told after every parameter compared (or skipped at a kink), on the calling thread.</summary>
    public IProgress<GradientCheckProgress>? Progress { get; init; }

    /// <summary>
    /// One weight per batch row: checks the gradient of the weighted mean loss Σ wᵢ·lᵢ / Σ wᵢ that training with
    /// sample or class weights minimizes. Null checks the plain mean.
    /// </summary>
    public double[]? RowWeights { get; init; }
}

/// <summary>Progress of <see cref="GradientCheck.Run{T}"/>: parameters done of the total to check, and the layer being checked.</summary>
public readonly record struct GradientCheckProgress(int Done, int Total, int Layer);

/// <summary>Which parameter: layer, and for a weight W[row, column] ([inputs × outputs]); for a bias, Row = 0 and Column = output index.</summary>
public readonly record struct ParameterLocation(int Layer, bool IsBias, int Row, int Column)
{
    /// <summary>E.g. <c>layer 1 weight[3, 7]</c> or <c>layer 2 bias[0]</c>.</summary>
    public override string ToString() => IsBias ? $"layer {Layer} bias[{Column}]" : $"layer {Layer} weight[{Row}, {Column}]";
}

/// <summary>The largest errors among one layer's checked parameters (weights and biases), and how many of its parameters were checked.</summary>
/// <param name="Layer">Layer index, input side first (0-based).</param>
/// <param name="ParametersChecked">Parameters of this layer compared.</param>
/// <param name="MaxAbsoluteError">Largest |analytic − numeric| in this layer.</param>
/// <param name="MaxRelativeError">Largest |a − n| / max(|a| + |n|, floor) in this layer.</param>
public readonly record struct LayerGradientError(int Layer, int ParametersChecked, double MaxAbsoluteError, double MaxRelativeError)
{
    /// <summary>Weights and biases the layer has (checked or not).</summary>
    public int ParametersInLayer { get; init; }

    /// <summary>Parameters of the layer skipped at a kink.</summary>
    public int ParametersSkipped { get; init; }
}

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

/// <summary>
/// Verifies backpropagation: compares the gradients the trainer computes (in T) with five-point central
/// finite differences of the mean loss, evaluated by an independent, naive double-precision forward pass
/// of the same parameters. For float models this measures float backprop against a double reference.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Checks a seeded sample of <paramref name="model"/>'s parameters on one batch: by default up to 64 weights and
    /// 16 biases per layer (<see cref="GradientCheckOptions.CheckAll"/> checks every one). A bug in backprop touches a
    /// share of a layer's gradients (a layer, a unit, every bias), which a sample finds; a single wrong entry needs
    /// CheckAll. The model is not changed.
    /// </summary>
    public static GradientCheckResult Run<T>(Mlp<T> model, Loss loss, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize,
                                             GradientCheckOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new GradientCheckOptions();
        if (!(options.Step > 0)) ThrowHelper.ArgumentOutOfRange(nameof(options), $"Step must be > 0, but was {options.Step}.");
        Guard.AtLeast(options.MaxParameters, 0, "MaxParameters", name: nameof(options));
        Guard.AtLeast(options.WeightsPerLayer, 0, "WeightsPerLayer", name: nameof(options));
        Guard.AtLeast(options.BiasesPerLayer, 0, "BiasesPerLayer", name: nameof(options));
        double floor = options.RelativeFloor ?? (typeof(T) == typeof(float) ? 1e-3 : 1e-5);

        // Analytic gradients through the real training path.
        Mlp<T> network = model.Clone();
        var trainerOptions = new TrainerOptions<T> { Loss = loss, BatchSize = Math.Max(batchSize, 1), Optimizer = Optimizer.Sgd(1), Epochs = 1 };
        using var trainer = new Trainer<T>(network, trainerOptions);
        Guard.AtLeast(batchSize, 1, "Batch size");
        if (inputs.Length != (long)batchSize * model.InputCount) ThrowHelper.Argument(nameof(inputs), $"inputs has {inputs.Length} values, but {batchSize} rows × {model.InputCount} inputs need {(long)batchSize * model.InputCount}.");
        if (targets.Length != (long)batchSize * model.OutputCount) ThrowHelper.Argument(nameof(targets), $"targets has {targets.Length} values, but {batchSize} rows × {model.OutputCount} outputs need {(long)batchSize * model.OutputCount}.");
        if (options.RowWeights is { } rowWeights && (rowWeights.Length != batchSize || rowWeights.Any(w => !(w >= 0) || !double.IsFinite(w))))
        {
            ThrowHelper.Argument(nameof(options), $"RowWeights needs {batchSize} finite weights ≥ 0 (one per batch row), but has {rowWeights.Length}{(rowWeights.Length == batchSize ? " with a negative or non-finite one" : "")}.");
        }
        T[] x = inputs.ToArray();
        network.Standardizer?.Apply(inputs, x, batchSize);
        var gradients = new T[network.ParameterCount];
        T[] weights = options.RowWeights is { } w ? [.. w.Select(T.CreateTruncating)] : [];
        trainer.ComputeGradients(x, targets, batchSize, gradients, weights);
        return Compare(network, loss, x, targets, batchSize, gradients, options, floor);
    }

    /// <summary>Compares <paramref name="gradients"/> (analytic, in T) with finite differences of the double reference, on the sampled parameters.</summary>
    internal static GradientCheckResult Compare<T>(Mlp<T> network, Loss loss, T[] x, ReadOnlySpan<T> targets, int batchSize, ReadOnlySpan<T> gradients,
                                                   GradientCheckOptions options, double floor)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReferenceNetwork reference = network is Mlp<float> single
            ? new ReferenceNetwork(single, loss, ToDouble<T>(x), ToDouble(targets), batchSize) { RowWeights = options.RowWeights }
            : new ReferenceNetwork((Mlp<double>)(object)network, loss, ToDouble<T>(x), ToDouble(targets), batchSize) { RowWeights = options.RowWeights };
        int[] indices = options.CheckAll ? Sample(network.ParameterCount, 0, options.Seed)
                        : options.MaxParameters > 0 ? Sample(network.ParameterCount, options.MaxParameters, options.Seed)
                        : SamplePerLayer(network, options.WeightsPerLayer, options.BiasesPerLayer, options.Seed);
        double h = options.Step;
        double maxAbs = 0, maxRel = -1, worstA = 0, worstN = 0;
        int worstIndex = 0, skipped = 0;
        var layerAbs = new double[network.LayerCount];
        var layerRel = new double[network.LayerCount];
        var layerChecked = new int[network.LayerCount];
        var layerSkipped = new int[network.LayerCount];
        int done = 0;
        foreach (int index in indices)
        {
            int layer = reference.LayerOf(index);
            options.Progress?.Report(new GradientCheckProgress(done++, indices.Length, layer));
            long baseKinks = reference.BaseKinks[layer];
            double original = reference.Parameters[index];
            double Evaluate(double delta, ref bool kinked)
            {
                reference.Parameters[index] = original + delta;
                double value = reference.LossFrom(layer, out long kinks);
                kinked |= kinks != baseKinks;
                return value;
            }
            bool kinked = false;
            double f2 = Evaluate(2 * h, ref kinked), f1 = Evaluate(h, ref kinked), m1 = Evaluate(-h, ref kinked), m2 = Evaluate(-2 * h, ref kinked);
            reference.Parameters[index] = original;
            if (kinked)
            {
                skipped++;
                layerSkipped[layer]++;
                continue;
            }
            double numeric = (-f2 + 8 * f1 - 8 * m1 + m2) / (12 * h);
            double analytic = double.CreateTruncating(gradients[index]);
            double abs = Math.Abs(analytic - numeric);
            double rel = abs / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), floor);
            maxAbs = Math.Max(maxAbs, abs);
            layerAbs[layer] = Math.Max(layerAbs[layer], abs);
            layerRel[layer] = double.IsNaN(rel) ? double.NaN : Math.Max(layerRel[layer], rel);
            layerChecked[layer]++;
            if (rel > maxRel || double.IsNaN(rel))
            {
                (maxRel, worstIndex, worstA, worstN) = (rel, index, analytic, numeric);
            }
        }
        options.Progress?.Report(new GradientCheckProgress(done, indices.Length, network.LayerCount - 1));
        return new GradientCheckResult
        {
            ParametersInModel = network.ParameterCount,
            Loss = reference.LossFrom(0, out _),
            MaxAbsoluteError = maxAbs,
            MaxRelativeError = Math.Max(maxRel, 0),
            ParametersChecked = indices.Length - skipped,
            ParametersSkipped = skipped,
            Worst = reference.Locate(worstIndex),
            WorstAnalytic = worstA,
            WorstNumeric = worstN,
            Layers = [.. Enumerable.Range(0, network.LayerCount).Select(l => new LayerGradientError(l, layerChecked[l], layerAbs[l], layerRel[l])
            {
                ParametersInLayer = network.Sizes[l] * network.Sizes[l + 1] + network.Sizes[l + 1],
                ParametersSkipped = layerSkipped[l],
            })],
        };
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }
        return result;
    }

    /// <summary>Up to <paramref name="weights"/> weights and <paramref name="biases"/> biases of every layer, distinct, seeded, in ascending order.</summary>
    private static int[] SamplePerLayer<T>(Mlp<T> network, int weights, int biases, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var chosen = new List<int>();
        for (int l = 0; l < network.LayerCount; l++)
        {
            int offset = network.WeightOffset(l), weightCount = network.Sizes[l] * network.Sizes[l + 1];
            AddDistinct(chosen, random, offset, weightCount, weights);
            AddDistinct(chosen, random, offset + weightCount, network.Sizes[l + 1], biases);
        }
        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>Adds min(<paramref name="take"/>, <paramref name="count"/>) distinct indices from [start, start + count).</summary>
    private static void AddDistinct(List<int> chosen, Random random, int start, int count, int take)
    {
        if (take >= count)
        {
            chosen.AddRange(Enumerable.Range(start, count));
            return;
        }
        var picked = new HashSet<int>();
        // Floyd's algorithm: exactly `take` draws, each a distinct index, whatever count is.
        for (int j = count - take; j < count; j++)
        {
            int t = random.Next(j + 1);
            picked.Add(picked.Contains(t) ? j : t);
        }
        foreach (int i in picked)
        {
            chosen.Add(start + i);
        }
    }

    private static int[] Sample(int count, int max, int seed)
    {
        var all = new int[count];
        for (int i = 0; i < count; i++)
        {
            all[i] = i;
        }
        if (max == 0 || max >= count)
        {
            return all;
        }
        new Random(seed).Shuffle(all);
        int[] sample = all[..max];
        Array.Sort(sample);
        return sample;
    }
}
