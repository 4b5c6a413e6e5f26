namespace FastMlp.Verification;

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
        Guard.Positive(options.Step, "Step", name: nameof(options));
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
        if (options.RowWeights is { } rowWeights)
        {
            if (rowWeights.Length != batchSize)
            {
                ThrowHelper.Argument(nameof(options), $"RowWeights needs {batchSize} finite weights ≥ 0 (one per batch row), but has {rowWeights.Length}.");
            }
            Guard.EachNonNegative<double>(rowWeights, "Weight of batch row", "RowWeights", nameof(options));
        }
        T[] x = inputs.ToArray();
        network.Standardizer?.Apply(inputs, x, batchSize);
        var gradients = new T[network.ParameterCount];
        T[] weights = options.RowWeights is { } w ? [.. w.Select(T.CreateTruncating)] : [];
        trainer.GradientsWithoutUpdate(x, targets, batchSize, gradients, weights);
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
