using System.Globalization;

namespace FastMlp.Cli.Options;

/// <summary>Turns option strings into library values, with one-line errors that name the option.</summary>
internal static class OptionParsing
{
    public static readonly string[] Activations = ["relu", "leakyrelu", "tanh", "sigmoid", "identity"];
    public static readonly string[] Optimizers = ["sgd", "momentum", "nesterov", "adam", "adamw"];
    public static readonly string[] Schedules = ["constant", "step", "exp", "invscaling", "cosine", "plateau", "adaptive"];
    public static readonly string[] Losses = ["auto", "mse", "mae", "crossentropy", "bce"];

    public static int[] Layers(string text, string option = "--layers")
    {
        if (text.Trim().Length == 0 || text.Trim() == "none")
        {
            return [];
        }
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > 1 << 16)
            {
                throw new CliException($"{option}: '{parts[i]}' in '{text}' is not a layer size (a whole number 1…65536); write sizes like 64,32.");
            }
        }
        return sizes;
    }

    /// <summary>
    /// Refuses an architecture whose parameters do not fit a .NET array (2³¹ − 1) before anything is allocated;
    /// <paramref name="sizes"/> are all layer sizes, inputs first.
    /// </summary>
    public static void CheckArchitecture(ReadOnlySpan<int> sizes, string option = "--layers")
    {
        long parameters = 0;
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            parameters += (long)sizes[i] * sizes[i + 1] + sizes[i + 1];
        }
        if (parameters > Array.MaxLength)
        {
            throw new CliException($"{option}: {string.Join('-', sizes.ToArray())} has {parameters:N0} parameters, more than the {Array.MaxLength:N0} one model can hold; use smaller layers.");
        }
    }

    public static Activation Activation(string name, string option = "--activation") => name.ToLowerInvariant() switch
    {
        "relu" => FastMlp.Activation.ReLU,
        "leakyrelu" or "leaky-relu" => FastMlp.Activation.LeakyReLU,
        "tanh" => FastMlp.Activation.Tanh,
        "sigmoid" or "logistic" => FastMlp.Activation.Sigmoid,
        "identity" or "linear" => FastMlp.Activation.Identity,
        _ => throw new CliException($"{option}: unknown activation '{name}'; choose one of {string.Join(", ", Activations)}."),
    };

    public static Optimizer Optimizer(string name, double rate, double momentum, double weightDecay)
    {
        InRange(momentum, "--momentum", 0, 1, maximumExcluded: true);
        InRange(weightDecay, "--weight-decay", 0, 1);
        return OptimizerFor(name, rate, momentum, weightDecay);
    }

    private static Optimizer OptimizerFor(string name, double rate, double momentum, double weightDecay) => name.ToLowerInvariant() switch
    {
        "sgd" => FastMlp.Optimizer.Sgd(rate, 0, false, weightDecay),
        "momentum" => FastMlp.Optimizer.Sgd(rate, momentum, false, weightDecay),
        "nesterov" => FastMlp.Optimizer.Sgd(rate, momentum, true, weightDecay),
        "adam" => FastMlp.Optimizer.Adam(rate, weightDecay: weightDecay),
        "adamw" => FastMlp.Optimizer.AdamW(rate, weightDecay: weightDecay == 0 ? 0.01 : weightDecay),
        _ => throw new CliException($"--optimizer: unknown optimizer '{name}'; choose one of {string.Join(", ", Optimizers)}."),
    };

    public static LearningRateSchedule? Schedule(string name, int epochs) => name.ToLowerInvariant() switch
    {
        "constant" => null,
        "step" => LearningRateSchedule.Step(Math.Max(epochs / 3, 1), 0.1),
        "exp" => LearningRateSchedule.Exponential(0.95),
        "invscaling" => LearningRateSchedule.InverseScaling(0.5),
        "cosine" => LearningRateSchedule.Cosine(epochs),
        "plateau" => LearningRateSchedule.ReduceOnPlateau(0.5, 3),
        "adaptive" => LearningRateSchedule.Adaptive(),
        _ => throw new CliException($"--schedule: unknown schedule '{name}'; choose one of {string.Join(", ", Schedules)}."),
    };

    /// <summary>"80/20" or "60/20/20" (percent, summing to 100, no zero part) as fractions.</summary>
    /// <summary>
    /// <c>none</c>, <c>balanced</c> or <c>NAME:WEIGHT,…</c> (classes not named weigh 1). Names are checked against the
    /// data's classes when training starts.
    /// </summary>
    public static ClassWeights? ClassWeights(string text, string option = "--class-weight")
    {
        string trimmed = text.Trim();
        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (trimmed.Equals("balanced", StringComparison.OrdinalIgnoreCase))
        {
            return FastMlp.ClassWeights.Balanced();
        }
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string part in trimmed.Split(',', StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || !double.TryParse(part.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double weight)
                || !(weight >= 0) || !double.IsFinite(weight))
            {
                throw new CliException($"{option}: '{part}' in '{text}' is not CLASS:WEIGHT with a finite weight ≥ 0; write none, balanced, or e.g. yes:5,no:1.");
            }
            string name = part[..colon].Trim();
            if (!weights.TryAdd(name, weight))
            {
                throw new CliException($"{option}: class '{name}' is given twice in '{text}'.");
            }
        }
        return FastMlp.ClassWeights.ByName(weights);
    }

    public static double[] Split(string text)
    {
        string[] parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3)
        {
            throw new CliException($"--split: '{text}' must be train/validation or train/validation/test percentages, such as 80/20 or 60/20/20.");
        }
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new CliException($"--split: '{parts[i]}' in '{text}' is not a percentage.");
            }
            if (values[i] <= 0)
            {
                throw new CliException($"--split: every part of '{text}' must be above 0, but part {i + 1} is {parts[i]}.");
            }
        }
        double sum = values.Sum();
        if (Math.Abs(sum - 100) > 1e-9)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--split: the parts of '{text}' add up to {sum:G6}, not 100."));
        }
        return [.. values.Select(v => v / 100)];
    }

    /// <summary>A positive batch size, or "full" (= all training rows: plain gradient descent), as int.MaxValue.</summary>
    public static int BatchSize(string text)
    {
        if (text.Equals("full", StringComparison.OrdinalIgnoreCase))
        {
            return int.MaxValue;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int size) || size < 1)
        {
            throw new CliException($"--batch-size: '{text}' must be a whole number ≥ 1, or 'full' for full-batch gradient descent.");
        }
        return size;
    }

    public static double Positive(double value, string option)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option}: must be a finite number > 0, but was {value}."));
        }
        return value;
    }

    /// <summary>A finite number ≥ 0 and at most <paramref name="maximum"/>.</summary>
    public static double InRange(double value, string option, double minimum, double maximum, bool maximumExcluded = false)
    {
        if (!double.IsFinite(value) || value < minimum || value > maximum || (maximumExcluded && value == maximum))
        {
            string upper = maximumExcluded ? $"below {maximum:G}" : $"at most {maximum:G}";
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option}: must be a finite number ≥ {minimum:G} and {upper}, but was {value}."));
        }
        return value;
    }

    /// <summary>Any finite number.</summary>
    public static double Finite(double value, string option) =>
        double.IsFinite(value) ? value : throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{option}: must be a finite number, but was {value}."));

    /// <summary>Threads for the matrix products: 1 … 1024 (the worker pool's limit).</summary>
    public static int Threads(int value, string option = "--threads") =>
        value is >= 1 and <= MaxThreads ? value
            : throw new CliException($"--threads: must be between 1 and {MaxThreads} (this machine has {Environment.ProcessorCount} cores), but was {value}.");

    public const int MaxThreads = 1024;

    public static int Positive(int value, string option)
    {
        if (value < 1)
        {
            throw new CliException($"{option}: must be ≥ 1, but was {value}.");
        }
        return value;
    }

    public static Data.TaskKind Task(string text) => text.ToLowerInvariant() switch
    {
        "auto" => Data.TaskKind.Auto,
        "classification" or "classify" => Data.TaskKind.Classification,
        "regression" or "regress" => Data.TaskKind.Regression,
        _ => throw new CliException($"--task: unknown task '{text}'; choose auto, classification or regression."),
    };
}
