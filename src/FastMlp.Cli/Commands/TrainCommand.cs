using System.CommandLine;
using System.Diagnostics;
using FastMlp.Cli.Data;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp train</c>: load (default: embedded MNIST 10k), split, standardize, train with early stopping, report
/// per epoch, evaluate on the test part, and write model.fastmlp, history.csv and loss.png to the output folder.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new DataOptions();
        var columns = new SchemaOptions();
        var layers = new Option<string>("--layers") { Description = "Hidden layer sizes, e.g. 64,32 ('none' for no hidden layer).", DefaultValueFactory = _ => "128" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation: relu | leakyrelu | tanh | sigmoid | identity.", DefaultValueFactory = _ => "relu" };
        var loss = new Option<string>("--loss") { Description = "auto | mse | mae | crossentropy | bce (auto: cross-entropy for classes, MSE for regression).", DefaultValueFactory = _ => "auto" };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd | momentum | nesterov | adam | adamw.", DefaultValueFactory = _ => "momentum" };
        var lr = new Option<double?>("--lr") { Description = "Initial learning rate (default: SGD 0.1 for classification, 0.01 for regression; adam/adamw 0.001)." };
        var momentum = new Option<double>("--momentum") { Description = "Momentum of momentum/nesterov SGD.", DefaultValueFactory = _ => 0.9 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay (adamw: decoupled, default 0.01).", DefaultValueFactory = _ => 0 };
        var schedule = new Option<string>("--schedule") { Description = "constant | step | exp | invscaling | cosine | plateau | adaptive.", DefaultValueFactory = _ => "constant" };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 30 };
        var batch = new Option<string>("--batch-size") { Description = "Mini-batch size, or 'full' for plain (full-batch) gradient descent.", DefaultValueFactory = _ => "64" };
        var split = new Option<string>("--split") { Description = "train/validation[/test] percentages, e.g. 80/20 or 60/20/20.", DefaultValueFactory = _ => "60/20/20" };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without validation improvement (0 = off).", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the weights and the shuffling.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Threads for the matrix products (default: all cores; results are bit-identical for any count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Save a resumable checkpoint every N epochs into <out>/checkpoint (0 = never).", DefaultValueFactory = _ => 0 };
        var resume = new Option<string?>("--resume") { Description = "Continue the run checkpointed in this folder (its recorded options and data are reused; the result is bit-identical to an uninterrupted run)." };
        var output = new Option<string>("--out") { Description = "Output folder for model.fastmlp, history.csv and loss.png (written only when training succeeds).", DefaultValueFactory = _ => "fastmlp-output" };
        var dropout = new Option<double>("--dropout") { Description = "Dropout rate of the hidden layers while training, in [0, 1) (0 = off).", DefaultValueFactory = _ => 0 };
        var classWeight = new Option<string>("--class-weight") { Description = "Class weights of the training loss: none | balanced | CLASS:WEIGHT,... (unnamed classes weigh 1).", DefaultValueFactory = _ => "none" };
        Option<double?> threshold = ThresholdOption.Create("Decision threshold of a binary classifier, stored in the model (default 0.5); evaluate and predict use it.");
        var sampleWeight = new Option<string?>("--sample-weight") { Description = "CSV column holding each row's weight in the training loss (a number ≥ 0; not a feature). Validation metrics are unweighted." };
        var saveOnCancel = new Option<bool>("--save-on-cancel") { Description = "On Ctrl-C or SIGTERM, still write the outputs with the best model so far (default: write nothing)." };

        var command = new Command("train", """
            Train an MLP. With no options: the embedded MNIST 10k set, 784-128-10, 60/20/20 split, SGD with momentum,
            early stopping; writes model.fastmlp, history.csv and loss.png to ./fastmlp-output.

            Examples:
              fastmlp train
              fastmlp train --dataset digits --layers 64,32 --optimizer adam
              fastmlp train --data houses.csv --target price --task regression --schedule cosine --epochs 100
              fastmlp train --data credit.csv --target default --categorical grade --impute median --min-category-count 10
              fastmlp train --data-idx train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz --out mnist60k
              fastmlp train --dataset diabetes --batch-size full --optimizer sgd --lr 0.1 --split 80/20
              fastmlp train --data loans.csv --target default --class-weight balanced --dropout 0.2
              fastmlp train --data visits.csv --target spend --sample-weight weight
              fastmlp train --data flats.csv --target price,rent
              fastmlp train --epochs 100 --checkpoint-every 5 --out run1      # then, after a crash:
              fastmlp train --resume run1/checkpoint
            """);
        data.AddTo(command);
        columns.AddTo(command);
        foreach (Option o in new Option[] { layers, activation, loss, optimizer, lr, momentum, weightDecay, schedule, epochs, batch, split, patience, seed, threads, dropout, classWeight, sampleWeight, checkpointEvery, resume, output, threshold, saveOnCancel })
        {
            command.Options.Add(o);
        }
        command.SetAction(given =>
        {
            CliOutput console = cli.OutputFor(given);
            var stopwatch = Stopwatch.StartNew();
            // --resume replays the options recorded with the checkpoint (so the data, split and seed match).
            string? resumeDirectory = given.GetValue(resume);
            if (resumeDirectory is not null)
            {
                RefuseReplayedOptions(given, command);
            }
            ParseResult parse = resumeDirectory is null ? given : command.Parse(RecordedArguments(resumeDirectory));
            string[] arguments = given.Tokens.Select(t => t.Value).ToArray();
            // Validate every option before loading data, so mistakes fail fast.
            int[] hidden = OptionParsing.Layers(parse.GetValue(layers)!);
            Activation hiddenActivation = OptionParsing.Activation(parse.GetValue(activation)!);
            string optimizerName = parse.GetValue(optimizer)!.ToLowerInvariant();
            double? givenRate = parse.GetValue(lr);
            if (givenRate is { } r)
            {
                OptionParsing.Positive(r, "--lr");
            }
            // On --resume an explicit --epochs extends (or shortens) the recorded run; everything else is replayed.
            int epochCount = OptionParsing.Positive(
                resumeDirectory is not null && given.GetResult(epochs) is { Implicit: false } ? given.GetValue(epochs) : parse.GetValue(epochs), "--epochs");
            OptionParsing.Optimizer(optimizerName, 1e-3, parse.GetValue(momentum), parse.GetValue(weightDecay)); // validates the name
            LearningRateSchedule? sched = OptionParsing.Schedule(parse.GetValue(schedule)!, epochCount);
            int batchSize = OptionParsing.BatchSize(parse.GetValue(batch)!);
            double[] fractions = OptionParsing.Split(parse.GetValue(split)!);
            int patienceValue = parse.GetValue(patience);
            if (patienceValue < 0)
            {
                throw new CliException($"--patience: must be ≥ 0 (0 turns early stopping off), but was {patienceValue}.");
            }
            double dropoutRate = OptionParsing.InRange(parse.GetValue(dropout), "--dropout", 0, 1, maximumExcluded: true);
            ClassWeights? classWeights = OptionParsing.ClassWeights(parse.GetValue(classWeight)!);
            ThresholdOption.CheckRange(parse.GetValue(threshold));
            string lossName = parse.GetValue(loss)!.ToLowerInvariant();
            if (!OptionParsing.Losses.Contains(lossName))
            {
                throw new CliException($"--loss: unknown loss '{lossName}'; choose one of {string.Join(", ", OptionParsing.Losses)}.");
            }

            // Every output must be writable before any work starts; they are written together only if training succeeds.
            string outputFolder = parse.GetValue(output)!;
            using var outputs = new OutputFiles(cli.Cancellation);
            (string modelPath, string historyPath, string plotPath) = TrainingRun.OutputPaths(outputFolder);
            outputs.Plan("--out", modelPath, historyPath, plotPath, TrainingRun.ConfusionPath(outputFolder), TrainingRun.DivergedPlotPath(outputFolder));

            TabularSchemaOptions tabular = columns.Parse(parse, csv: parse.GetValue(data.Data) is not null);
            TabularData table = data.Load(parse, cli, "mnist", raw: true, sampleWeight: parse.GetValue(sampleWeight));
            if (table.Raw is not null)
            {
                TabularEncoding.CheckCells(table, tabular);
            }
            if (classWeights is not null && !table.Dataset.IsClassification)
            {
                throw new CliException($"--class-weight: {table.Source} has a regression target ('{table.TargetName}'); class weights need classes.");
            }
            if (dropoutRate > 0 && hidden.Length == 0)
            {
                throw new CliException("--dropout: acts on hidden layers, but --layers none has none.");
            }
            double rate = givenRate ?? (optimizerName.StartsWith("adam", StringComparison.Ordinal) ? 1e-3 : table.Dataset.IsClassification ? 0.1 : 0.01);
            Optimizer opt = OptionParsing.Optimizer(optimizerName, rate, parse.GetValue(momentum), parse.GetValue(weightDecay));
            var setup = new TrainingSetup
            {
                Hidden = hidden,
                HiddenActivation = hiddenActivation,
                LossName = lossName,
                Optimizer = opt,
                Schedule = sched,
                Epochs = epochCount,
                BatchSize = batchSize,
                Fractions = fractions,
                Patience = patienceValue,
                Seed = parse.GetValue(seed),
                Standardize = !table.IsScaled,
                Threads = OptionParsing.Threads(parse.GetValue(threads)),
                CheckpointEvery = parse.GetValue(checkpointEvery) >= 0 ? parse.GetValue(checkpointEvery)
                    : throw new CliException($"--checkpoint-every: must be ≥ 0 (0 = never), but was {parse.GetValue(checkpointEvery)}."),
                CheckpointDirectory = resumeDirectory ?? Path.Combine(parse.GetValue(output)!, "checkpoint"),
                ResumeDirectory = resumeDirectory,
                SaveOnCancel = given.GetValue(saveOnCancel),
                Dropout = dropoutRate,
                ClassWeights = classWeights,
                Threshold = parse.GetValue(threshold),
                Tabular = table.Raw is null ? null : tabular,
            };
            if (resumeDirectory is null && setup.CheckpointEvery > 0)
            {
                RecordArguments(setup.CheckpointDirectory!, arguments);
            }
            return TrainingRun.Execute(console, table, setup, outputFolder, outputs, stopwatch, cli.Cancellation);
        });
        return command;
    }

    private const string ArgumentsFile = "arguments.json";

    /// <summary>Options that may accompany --resume; every other one is replayed from the checkpoint.</summary>
    private static readonly string[] ResumeOptions = ["--resume", "--epochs", "--threads", "--save-on-cancel", "--quiet", "--json"];

    /// <summary>--resume replays the recorded command line: a new --data (or any other changed option) would be ignored, so refuse it.</summary>
    private static void RefuseReplayedOptions(ParseResult given, Command command)
    {
        foreach (Option option in command.Options)
        {
            if (given.GetResult(option) is { Implicit: false } && !ResumeOptions.Contains(option.Name))
            {
                throw new CliException($"{option.Name}: cannot be changed with --resume, which replays the options recorded with the checkpoint " +
                                       $"(only {string.Join(", ", ResumeOptions.Skip(1))} may be given); start a new run to change it.");
            }
        }
    }

    /// <summary>Keeps the command line beside the checkpoint so that --resume can rebuild the same run.</summary>
    private static void RecordArguments(string directory, string[] arguments)
    {
        using var files = new FastMlp.Serialization.StagedFiles { CreateDirectories = true };
        files.Write(Path.Combine(directory, ArgumentsFile), stream => System.Text.Json.JsonSerializer.Serialize(stream, arguments, CliJsonContext.Default.StringArray));
        files.Commit();
    }

    private static string[] RecordedArguments(string directory)
    {
        string path = Path.Combine(directory, ArgumentsFile);
        if (!File.Exists(path))
        {
            throw new CliException($"--resume: {path} not found; resume from a folder written by 'fastmlp train --checkpoint-every N' (<out>/checkpoint).");
        }
        try
        {
            string[] recorded = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.StringArray) ?? [];
            return [.. recorded.Where(a => a != "train")];
        }
        catch (System.Text.Json.JsonException)
        {
            throw new CliException($"--resume: {path} is not a recorded FastMlp command line.");
        }
    }
}
