using System.CommandLine;
using FastMlp.Cli.Data;

namespace FastMlp.Cli.Options;

/// <summary>The validated model and training settings shared by <c>train</c> and <c>cv</c>.</summary>
internal sealed record FitSettings(int[] Hidden, Activation HiddenActivation, string LossName, string OptimizerName, double? GivenRate,
                                   double Momentum, double WeightDecay, int Epochs, LearningRateSchedule? Schedule, int BatchSize, int Patience,
                                   int Seed, int Threads, double Dropout, ClassWeights? ClassWeights, EarlyStoppingMetric Monitor)
{
    /// <summary>--monitor values and the metric each names.</summary>
    public static readonly Dictionary<string, EarlyStoppingMetric> MonitorNames = new()
    {
        ["loss"] = EarlyStoppingMetric.Loss,
        ["accuracy"] = EarlyStoppingMetric.Accuracy,
        ["balanced-accuracy"] = EarlyStoppingMetric.BalancedAccuracy,
        ["f1"] = EarlyStoppingMetric.F1,
        ["rocauc"] = EarlyStoppingMetric.RocAuc,
        ["logloss"] = EarlyStoppingMetric.LogLoss,
        ["r2"] = EarlyStoppingMetric.RSquared,
    };

    /// <summary>Early stopping as --patience and --monitor ask (null: off), restoring the best epoch's weights.</summary>
    public EarlyStopping? EarlyStopping => Patience > 0 ? new EarlyStopping { Patience = Patience, RestoreBestWeights = true, Monitor = Monitor } : null;

    /// <summary>Checks what depends on the data and builds the optimizer (its default rate depends on the task).</summary>
    public Optimizer OptimizerFor(TabularData table)
    {
        if (ClassWeights is not null && !table.Dataset.IsClassification)
        {
            throw new CliException($"--class-weight: {table.Source} has a regression target ('{table.TargetName}'); class weights need classes.");
        }
        if (ClassWeights is not null)
        {
            // Class names (and all-zero weights) are checked against the data's classes now, before anything is printed;
            // every part of a split or a fold has the classes of the whole table.
            try
            {
                ClassWeights.Resolve(table.Dataset);
            }
            catch (ArgumentException e) when (e.ParamName == "options.ClassWeights")
            {
                throw new CliException($"--class-weight: {ErrorText.WithoutParameter(e)}");
            }
        }
        if (Monitor is not (EarlyStoppingMetric.Loss or EarlyStoppingMetric.RSquared) && !table.Dataset.IsClassification
            || Monitor == EarlyStoppingMetric.RSquared && table.Dataset.IsClassification)
        {
            throw new CliException($"--monitor: {table.Source} has a {(table.Dataset.IsClassification ? "classification" : "regression")} target ('{table.TargetName}'), which has no {MonitorNames.First(m => m.Value == Monitor).Key}.");
        }
        if (Dropout > 0 && Hidden.Length == 0)
        {
            throw new CliException("--dropout: acts on hidden layers, but --layers none has none.");
        }
        double rate = GivenRate ?? (OptimizerName.StartsWith("adam", StringComparison.Ordinal) ? 1e-3 : table.Dataset.IsClassification ? 0.1 : 0.01);
        return OptionParsing.Optimizer(OptimizerName, rate, Momentum, WeightDecay);
    }
}

/// <summary>The options that describe the model and its training (architecture, loss, optimizer, schedule, batches, regularization).</summary>
internal sealed class FitOptions
{
    public Option<string> Layers { get; } = new("--layers") { Description = "Hidden layer sizes, e.g. 64,32 ('none' for no hidden layer).", DefaultValueFactory = _ => "128" };
    public Option<string> Activation { get; } = new("--activation") { Description = "Hidden activation: relu | leakyrelu | tanh | sigmoid | identity.", DefaultValueFactory = _ => "relu" };
    public Option<string> Loss { get; } = new("--loss") { Description = "auto | mse | mae | crossentropy | bce (auto: cross-entropy for classes, MSE for regression).", DefaultValueFactory = _ => "auto" };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "sgd | momentum | nesterov | adam | adamw.", DefaultValueFactory = _ => "momentum" };
    public Option<double?> Rate { get; } = new("--lr") { Description = "Initial learning rate (default: SGD 0.1 for classification, 0.01 for regression; adam/adamw 0.001)." };
    public Option<double> Momentum { get; } = new("--momentum") { Description = "Momentum of momentum/nesterov SGD.", DefaultValueFactory = _ => 0.9 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay (adamw: decoupled, default 0.01).", DefaultValueFactory = _ => 0 };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "constant | step | exp | invscaling | cosine | plateau | adaptive.", DefaultValueFactory = _ => "constant" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 30 };
    public Option<string> Batch { get; } = new("--batch-size") { Description = "Mini-batch size, or 'full' for plain (full-batch) gradient descent.", DefaultValueFactory = _ => "64" };
    public Option<int> Patience { get; } = new("--patience") { Description = "Early stopping: epochs without validation improvement (0 = off).", DefaultValueFactory = _ => 5 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the split, the weights and the shuffling.", DefaultValueFactory = _ => 42 };
    public Option<int> Threads { get; } = new("--threads") { Description = "Threads for the matrix products (default: all cores; results are bit-identical for any count).", DefaultValueFactory = _ => Environment.ProcessorCount };
    public Option<double> Dropout { get; } = new("--dropout") { Description = "Dropout rate of the hidden layers while training, in [0, 1) (0 = off).", DefaultValueFactory = _ => 0 };
    public Option<string> Monitor { get; } = new("--monitor") { Description = "What early stopping watches on the validation part: loss | accuracy | balanced-accuracy | f1 | rocauc | logloss | r2.", DefaultValueFactory = _ => "loss" };
    public Option<string> ClassWeight { get; } = new("--class-weight") { Description = "Class weights of the training loss: none | balanced | CLASS:WEIGHT,... (unnamed classes weigh 1).", DefaultValueFactory = _ => "none" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Layers, Activation, Loss, Optimizer, Rate, Momentum, WeightDecay, Schedule, Epochs, Batch, Patience, Monitor, Seed, Threads, Dropout, ClassWeight })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Validates every option (before any data is read); <paramref name="epochs"/> overrides --epochs (train --resume).</summary>
    public FitSettings Parse(ParseResult parse, int? epochs = null)
    {
        int[] hidden = OptionParsing.Layers(parse.GetValue(Layers)!);
        Activation hiddenActivation = OptionParsing.Activation(parse.GetValue(Activation)!);
        string optimizerName = parse.GetValue(Optimizer)!.ToLowerInvariant();
        double? givenRate = parse.GetValue(Rate);
        if (givenRate is { } r)
        {
            OptionParsing.Positive(r, "--lr");
        }
        int epochCount = OptionParsing.Positive(epochs ?? parse.GetValue(Epochs), "--epochs");
        OptionParsing.Optimizer(optimizerName, 1e-3, parse.GetValue(Momentum), parse.GetValue(WeightDecay)); // validates the name
        LearningRateSchedule? schedule = OptionParsing.Schedule(parse.GetValue(Schedule)!, epochCount);
        int batchSize = OptionParsing.BatchSize(parse.GetValue(Batch)!);
        int patience = parse.GetValue(Patience);
        if (patience < 0)
        {
            throw new CliException($"--patience: must be ≥ 0 (0 turns early stopping off), but was {patience}.");
        }
        string monitorName = parse.GetValue(Monitor)!.ToLowerInvariant();
        if (!FitSettings.MonitorNames.TryGetValue(monitorName, out EarlyStoppingMetric monitor))
        {
            throw new CliException($"--monitor: unknown metric '{monitorName}'; choose one of {string.Join(", ", FitSettings.MonitorNames.Keys)}.");
        }
        double dropout = OptionParsing.InRange(parse.GetValue(Dropout), "--dropout", 0, 1, maximumExcluded: true);
        ClassWeights? classWeights = OptionParsing.ClassWeights(parse.GetValue(ClassWeight)!);
        string lossName = parse.GetValue(Loss)!.ToLowerInvariant();
        if (!OptionParsing.Losses.Contains(lossName))
        {
            throw new CliException($"--loss: unknown loss '{lossName}'; choose one of {string.Join(", ", OptionParsing.Losses)}.");
        }
        return new FitSettings(hidden, hiddenActivation, lossName, optimizerName, givenRate, parse.GetValue(Momentum), parse.GetValue(WeightDecay),
                               epochCount, schedule, batchSize, patience, parse.GetValue(Seed), OptionParsing.Threads(parse.GetValue(Threads)), dropout, classWeights, monitor);
    }
}
