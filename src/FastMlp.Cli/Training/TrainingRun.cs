using System.Diagnostics;
using System.Globalization;
using System.Text;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;
using FastMlp.Cli.Plots;
using Spectre.Console;

namespace FastMlp.Cli.Training;

/// <summary>The validated settings of one training run.</summary>
internal sealed class TrainingSetup
{
    public required int[] Hidden { get; init; }
    public required Activation HiddenActivation { get; init; }
    public required string LossName { get; init; }
    public required Optimizer Optimizer { get; init; }
    public LearningRateSchedule? Schedule { get; init; }
    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    public required double[] Fractions { get; init; }
    public required int Patience { get; init; }
    public required int Seed { get; init; }
    public required bool Standardize { get; init; }
    /// <summary>Threads for the matrix products (bit-identical results for any count).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Save a checkpoint every N epochs (0: never) into <see cref="CheckpointDirectory"/>.</summary>
    public int CheckpointEvery { get; init; }
    public string? CheckpointDirectory { get; init; }
    /// <summary>Continue the run saved in this checkpoint folder.</summary>
    public string? ResumeDirectory { get; init; }
    /// <summary>On SIGINT/SIGTERM, still write the outputs (the best model so far) instead of nothing.</summary>
    public bool SaveOnCancel { get; init; }
    /// <summary>What early stopping watches on the validation part.</summary>
    public EarlyStoppingMetric Monitor { get; init; }
    /// <summary>Dropout rate of the hidden layers (0: off).</summary>
    public double Dropout { get; init; }
    /// <summary>Class weights of the training loss (null: every class weighs 1).</summary>
    public ClassWeights? ClassWeights { get; init; }
    /// <summary>Decision threshold of a binary classifier (stored in the model; null: 0.5).</summary>
    public double? Threshold { get; init; }
    /// <summary>How to read a CSV's columns (null: the data is numeric already); fitted on the training part only.</summary>
    public TabularSchemaOptions? Tabular { get; init; }
}

/// <summary>Split → build → fit (live progress) → per-epoch table → test metrics → files.</summary>
internal static class TrainingRun
{
    public static int Execute(CliOutput console, TabularData table, TrainingSetup setup, string outputFolder, OutputFiles outputs, Stopwatch stopwatch, CancellationToken cancellation)
    {
        Dataset<float> all = table.Dataset;
        bool classification = all.IsClassification;
        (Loss loss, Activation outputActivation, int outputCount) = ChooseLoss(setup.LossName, all);

        // Split: every part needs at least one row (classification: stratified, so the class balance is kept).
        int minimumRows = (int)Math.Ceiling(setup.Fractions.Max() / setup.Fractions.Min());
        foreach (double f in setup.Fractions)
        {
            if ((int)(all.Rows * f) < 1)
            {
                throw new CliException($"--split: {table.Source} has {all.Rows} rows, too few for a {string.Join('/', setup.Fractions.Select(x => (x * 100).ToString("G4", CultureInfo.InvariantCulture)))} split (every part needs at least one row; use ≥ {Math.Max(minimumRows, (int)Math.Ceiling(1 / setup.Fractions.Min()))} rows).");
            }
        }
        Dataset<float>[] parts;
        try
        {
            parts = all.Split(setup.Seed, stratify: classification, setup.Fractions);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--split: {ErrorText.WithoutParameter(e)}");
        }
        // A CSV read as text: the schema is fitted on the training part only, then every part is encoded with it.
        TabularSchema? schema = null;
        string[] unseenNotes = [];
        if (table.Raw is not null && setup.Tabular is { } tabular)
        {
            (parts, schema, unseenNotes) = TabularEncoding.FitAndEncode(table, parts, tabular);
        }
        Dataset<float> train = parts[0], validation = parts[1];
        Dataset<float>? test = parts.Length > 2 ? parts[2] : null;

        // Regression targets are trained standardized (each column) and folded back into the output layer by Fit.
        bool standardizeTargets = !classification && outputActivation == Activation.Identity;

        int[] sizes = [schema?.FeatureCount ?? all.FeatureCount, .. setup.Hidden, outputCount];
        MemoryBudget.Check(sizes, Math.Min(setup.BatchSize, train.Rows), threads: setup.Threads, rows: train.Rows);
        var model = new Mlp<float>(sizes, setup.HiddenActivation, outputActivation, setup.Seed);
        ThresholdOption.Apply(setup.Threshold, model, all.ClassCount);
        var options = new TrainerOptions<float>
        {
            Loss = loss,
            Optimizer = setup.Optimizer,
            Schedule = setup.Schedule,
            Epochs = setup.Epochs,
            BatchSize = Math.Min(setup.BatchSize, train.Rows),
            Seed = setup.Seed,
            Standardize = setup.Standardize,
            StandardizeTargets = standardizeTargets,
            Dropout = setup.Dropout,
            ClassWeights = setup.ClassWeights,
            EarlyStopping = setup.Patience > 0 ? new EarlyStopping { Patience = setup.Patience, RestoreBestWeights = true, Monitor = setup.Monitor } : null,
            Threads = setup.Threads,
            CheckpointEvery = setup.CheckpointEvery,
            CheckpointDirectory = setup.CheckpointDirectory,
        };
        string architecture = string.Join('-', sizes);
        console.Line($"Data: {table.Source}: {all.Rows} rows × {(schema is null ? $"{all.FeatureCount} features" : $"{table.FeatureNames.Length} columns")}, " +
                     (classification ? $"{all.ClassCount} classes (target '{table.TargetName}')" : $"regression on '{table.TargetName}'") +
                     (table.SampleWeightName is { } weightColumn ? $", rows weighted by '{weightColumn}'" : ""));
        console.Line($"Split {string.Join('/', setup.Fractions.Select(f => (f * 100).ToString("G4", CultureInfo.InvariantCulture)))} (seed {setup.Seed}): " +
                     $"train {train.Rows}, validation {validation.Rows}{(test is null ? "" : $", test {test.Rows}")}");
        if (schema is not null)
        {
            console.Line($"Columns (fitted on the train part): {TabularEncoding.Describe(schema)}");
            foreach (string note in unseenNotes)
            {
                console.Line($"Note: {note}.");
            }
        }
        console.Line($"Model: {architecture} ({setup.HiddenActivation} hidden, {outputActivation} output, {model.ParameterCount:N0} parameters), " +
                     $"loss {loss}, optimizer {setup.Optimizer}, batch {(setup.BatchSize >= train.Rows ? $"full ({train.Rows})" : setup.BatchSize.ToString(CultureInfo.InvariantCulture))}, " +
                     $"up to {setup.Epochs} epochs{(setup.Patience > 0 ? $", early stopping patience {setup.Patience}{(setup.Monitor == EarlyStoppingMetric.Loss ? "" : $" on {setup.Monitor}")}" : "")}" +
                     $"{(setup.Dropout > 0 ? FormattableString.Invariant($", dropout {setup.Dropout}") : "")}{(setup.ClassWeights is { } weights ? $", class weights {weights}" : "")}; GEMM path {Numerics.Gemm.ActivePath}");
        if (Numerics.Gemm.PathDiagnostic is { } slowerPath)
        {
            console.Line($"Warning: {slowerPath}");
        }

        TrainingHistory history;
        using (Trainer<float> trainer = setup.ResumeDirectory is { } resumeFrom ? Resume(resumeFrom, options) : new Trainer<float>(model, options))
        {
            if (setup.ResumeDirectory is not null)
            {
                model = trainer.Model;
                console.Line($"Resuming from {Path.Combine(setup.ResumeDirectory, Trainer<float>.CheckpointFileName)}");
            }
            try
            {
                history = Fit(console, trainer, train, validation, setup.Epochs, cancellation);
            }
            catch (ArgumentException e) when (e.ParamName == "options.ClassWeights")
            {
                throw new CliException($"--class-weight: {ErrorText.WithoutParameter(e)}");
            }
            catch (ArgumentException e) when (setup.ResumeDirectory is not null && e.ParamName is "train" or "validation")
            {
                // The checkpoint records a checksum of its data: a data file edited since then is refused, not silently mixed.
                throw new CliException($"--resume {setup.ResumeDirectory}: {ErrorText.WithoutParameter(e)} ({table.Source} changed since the checkpoint was written.)");
            }
        }
        PrintHistory(console, history, classification, standardizeTargets);
        console.Line(history.Message);
        // A diverged or cancelled run writes nothing (unless asked to keep the best-so-far model): the files of an
        // earlier, good run stay as they were. Said on stderr, so that --quiet and --json runs see it too.
        if (history.Status == TrainingStatus.Diverged)
        {
            // Only the picture of what went wrong is written, under its own name.
            string divergedPlot = DivergedPlotPath(outputFolder);
            Charts.Save(Charts.BuildLoss(history.TrainLoss, history.ValidationLoss, history.ValidationMetric, classification ? "accuracy" : "R²", -1,
                                         $"{table.Source}: {architecture}, {setup.Optimizer.Kind}, learning rate {history.DivergedLearningRate:G3}: diverged", divergedEpoch: history.EpochCount),
                        outputs.Reserve(divergedPlot));
            outputs.Commit(evenIfCancelled: true);
            console.Error.WriteLine($"error: {OneLine(history.Message)}. Nothing was written; existing files in {outputFolder} are unchanged (the loss curve up to the divergence is in {divergedPlot}).");
            return ExitCodes.CheckFailed;
        }
        if (history.Status == TrainingStatus.Cancelled && !setup.SaveOnCancel)
        {
            console.Error.WriteLine($"cancelled after {history.EpochCount} complete epoch(s); nothing was written, existing files in {outputFolder} are unchanged (--save-on-cancel keeps the best model so far).");
            return ExitCodes.Cancelled;
        }

        Dataset<float> final = test ?? parts[1];
        string finalName = test is null ? "validation" : "test";
        EvaluationResult result;
        using (var evaluator = new Trainer<float>(model, new TrainerOptions<float> { Loss = loss, Optimizer = setup.Optimizer }))
        {
            result = evaluator.Evaluate(final);
        }
        // The model file carries the table's description, so predict and evaluate can read raw CSV files.
        model.Schema = schema;
        model.FeatureNames = schema?.FeatureNames ?? table.FeatureNames;
        model.TargetName = table.TargetName;
        model.ClassNames = all.ClassNames.Count > 0 ? all.ClassNames : null;
        model.Loss = loss;
        (string modelPath, string historyPath, string plotPath) = OutputPaths(outputFolder);
        string confusionPath = ConfusionPath(outputFolder);
        outputs.Write(modelPath, model.Save);
        outputs.Write(historyPath, stream => WriteHistory(stream, history));
        // The plots are drawn in memory first: without SkiaSharp's native library (a NativeAOT binary copied alone)
        // the model and history are still written, and the missing library is reported after them.
        TrainingHistory h = history;
        byte[]? lossPng = Charts.TryRender(() => Charts.BuildLoss(h.TrainLoss, h.ValidationLoss, h.ValidationMetric, classification ? "accuracy" : "R²",
                                                                  h.RestoredBestWeights || h.Status == TrainingStatus.EarlyStopped ? h.BestEpoch : -1,
                                                                  $"{table.Source}: {architecture}, {setup.Optimizer.Kind}"), out DllNotFoundException? missingLibrary);
        if (lossPng is not null)
        {
            outputs.Write(plotPath, stream => stream.Write(lossPng));
        }
        if (result.ConfusionMatrix is { } confusion && lossPng is not null
            && Charts.TryRender(() => Charts.BuildConfusion(confusion, all.ClassNames, $"Confusion matrix on the {finalName} part of {table.Source} ({result.Rows} rows, accuracy {result.Accuracy:P2})"),
                                out _) is { } confusionPng)
        {
            outputs.Write(confusionPath, stream => stream.Write(confusionPng));
        }
        outputs.Commit(evenIfCancelled: setup.SaveOnCancel);
        if (missingLibrary is not null)
        {
            throw new CliException(Program.MissingPlotLibrary(missingLibrary, $"{modelPath} and {historyPath} were written, the plots were not"));
        }
        if (history.Status == TrainingStatus.Cancelled)
        {
            console.Error.WriteLine($"cancelled after {history.EpochCount} complete epoch(s); saved the best model so far (--save-on-cancel) to {modelPath}.");
        }

        Reports.PrintEvaluation(console, result, all.ClassNames, finalName, table.TargetNames);
        console.Line($"Wrote {modelPath}, {historyPath}, {plotPath}{(result.ConfusionMatrix is null ? "" : ", " + confusionPath)}");
        double seconds = stopwatch.Elapsed.TotalSeconds;
        console.Essential(classification
            ? string.Create(CultureInfo.InvariantCulture, $"{finalName} accuracy {result.Accuracy:P2} ({history.EpochCount} epochs, {seconds:F1} s)")
            : string.Create(CultureInfo.InvariantCulture, $"{finalName} RMSE {result.RootMeanSquaredError:G5}, R² {result.RSquared:F4} ({history.EpochCount} epochs, {seconds:F1} s)"));
        console.JsonResult(new TrainJson(
            Data: table.Source,
            Architecture: architecture,
            Loss: loss.ToString(),
            Optimizer: setup.Optimizer.ToString(),
            Epochs: history.EpochCount,
            BestEpoch: history.BestEpoch + 1,
            Status: history.Status.ToString(),
            Message: history.Message,
            EvaluatedOn: finalName,
            Accuracy: classification ? result.Accuracy : null,
            Rmse: classification ? null : result.RootMeanSquaredError,
            R2: classification ? null : result.RSquared,
            FinalLoss: result.Loss,
            Seconds: seconds,
            Files: new TrainFilesJson(modelPath, historyPath, plotPath)));
        return history.Status == TrainingStatus.Cancelled ? ExitCodes.Cancelled : ExitCodes.Ok;
    }

    /// <summary>The files a training run writes into its output folder.</summary>
    public static (string Model, string History, string Plot) OutputPaths(string folder) =>
        (Path.Combine(folder, ModelFiles.FileName), Path.Combine(folder, "history.csv"), Path.Combine(folder, "loss.png"));

    /// <summary>The loss curve of a diverged run, written instead of everything else.</summary>
    public static string DivergedPlotPath(string folder) => Path.Combine(folder, "loss.diverged.png");

    /// <summary>The confusion-matrix plot of a classification run.</summary>
    public static string ConfusionPath(string folder) => Path.Combine(folder, "confusion.png");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").TrimEnd('.');

    public static (Loss Loss, Activation Output, int Outputs) ChooseLoss(string name, Dataset<float> data)
    {
        bool classification = data.IsClassification;
        switch (name)
        {
            case "auto":
                return classification ? (Loss.SoftmaxCrossEntropy, Activation.Softmax, data.ClassCount) : (Loss.MeanSquaredError, Activation.Identity, data.TargetCount);
            case "crossentropy" when classification:
                return (Loss.SoftmaxCrossEntropy, Activation.Softmax, data.ClassCount);
            case "bce" when classification && data.ClassCount == 2:
                return (Loss.BinaryCrossEntropy, Activation.Sigmoid, 1);
            case "mse" when !classification:
                return (Loss.MeanSquaredError, Activation.Identity, data.TargetCount);
            case "mae" when !classification:
                return (Loss.MeanAbsoluteError, Activation.Identity, data.TargetCount);
            default:
                string task = classification ? $"classification with {data.ClassCount} classes" : "regression";
                string valid = classification ? (data.ClassCount == 2 ? "crossentropy or bce" : "crossentropy") : "mse or mae";
                throw new CliException($"--loss: '{name}' does not fit {task}; use {valid} (or --task to change the task).");
        }
    }

    private static Trainer<float> Resume(string directory, TrainerOptions<float> options)
    {
        try
        {
            return Trainer<float>.Resume(directory, options);
        }
        catch (ModelFormatException e)
        {
            throw new CliException($"--resume: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (ArgumentException e) when (e.ParamName == "options.Epochs")
        {
            throw new CliException($"--epochs: {ErrorText.WithoutParameter(e)}");
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            throw new CliException($"--resume {directory}: {(e is ArgumentException a ? ErrorText.WithoutParameter(a) : e.Message.ReplaceLineEndings(" "))}");
        }
    }

    private static TrainingHistory Fit(CliOutput console, Trainer<float> trainer, Dataset<float> train, Dataset<float> validation, int epochs, CancellationToken cancellation)
    {
        if (!console.CanShowProgress)
        {
            return trainer.Fit(train, validation, null, cancellation);
        }
        TrainingHistory? history = null;
        console.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("epoch 1", maxValue: epochs);
                var progress = new SynchronousProgress<EpochReport>(r =>
                {
                    task.Increment(1);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {r.Epoch + 1}/{epochs}  train {r.TrainLoss:F4}  val {r.ValidationLoss:F4}");
                    context.Refresh();
                });
                history = trainer.Fit(train, validation, progress, cancellation);
                task.Value = epochs;
            });
        return history!;
    }

    private static void PrintHistory(CliOutput console, TrainingHistory history, bool classification, bool standardizedTargets)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("epoch").RightAligned());
        table.AddColumn(new TableColumn("train loss").RightAligned());
        table.AddColumn(new TableColumn("val loss").RightAligned());
        table.AddColumn(new TableColumn(classification ? "val accuracy" : "val R²").RightAligned());
        table.AddColumn(new TableColumn("LR").RightAligned());
        table.AddColumn(new TableColumn("time").RightAligned());
        for (int e = 0; e < history.EpochCount; e++)
        {
            string mark = e == history.BestEpoch ? " *" : "";
            table.AddRow(
                (e + 1).ToString(CultureInfo.InvariantCulture) + mark,
                history.TrainLoss[e].ToString("F4", CultureInfo.InvariantCulture),
                history.ValidationLoss[e].ToString("F4", CultureInfo.InvariantCulture),
                classification ? history.ValidationMetric[e].ToString("P2", CultureInfo.InvariantCulture) : history.ValidationMetric[e].ToString("F4", CultureInfo.InvariantCulture),
                history.LearningRate[e].ToString("G4", CultureInfo.InvariantCulture),
                $"{history.Seconds[e] * 1000:F0} ms");
        }
        table.Caption = new TableTitle(standardizedTargets ? "* best epoch; losses on standardized targets" : "* best epoch");
        console.Write(table);
    }

    private static void WriteHistory(Stream stream, TrainingHistory history)
    {
        var text = new StringBuilder("epoch,train_loss,val_loss,val_metric,learning_rate,seconds\n");
        for (int e = 0; e < history.EpochCount; e++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{e + 1},{history.TrainLoss[e]:R},{history.ValidationLoss[e]:R},{history.ValidationMetric[e]:R},{history.LearningRate[e]:R},{history.Seconds[e]:R}\n");
        }
        stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }
}

/// <summary>Reports progress on the calling thread (Progress&lt;T&gt; would post to a thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
