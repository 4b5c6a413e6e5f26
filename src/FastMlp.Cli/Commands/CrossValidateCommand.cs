using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;
using FastMlp.Cli.Training;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp cv --data d.csv --target y --folds 5 [train options]</c>: k-fold cross-validation with the library's
/// <see cref="CrossValidation"/>; every fold fits its own column schema, standardizer and target scaling on its training part.
/// </summary>
internal static class CrossValidateCommand
{
    public static Command Create(CliContext cli)
    {
        var data = new DataOptions();
        var columns = new SchemaOptions();
        var fit = new FitOptions();
        var folds = new Option<int>("--folds") { Description = "Number of folds (stratified for classes).", DefaultValueFactory = _ => 5 };
        var sampleWeight = new Option<string?>("--sample-weight") { Description = "CSV column holding each row's weight in the training loss (a number ≥ 0; not a feature). Fold metrics are unweighted." };
        var command = new Command("cv", """
            k-fold cross-validation: train on k − 1 folds, score the k-th, for every fold; prints each fold's metrics and
            their mean ± standard deviation. Takes the training options of 'train'; writes no files.

            Examples:
              fastmlp cv --dataset digits --folds 5 --layers 64 --optimizer adam
              fastmlp cv --data tests/data/credit-mixed.csv --target default --folds 5 --class-weight balanced --json
            """);
        data.AddTo(command);
        columns.AddTo(command);
        fit.AddTo(command);
        command.Options.Add(folds);
        command.Options.Add(sampleWeight);
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            FitSettings settings = fit.Parse(parse);
            int k = parse.GetValue(folds) >= 2 ? parse.GetValue(folds) : throw new CliException($"--folds: needs at least 2 folds, but was {parse.GetValue(folds)}.");
            TabularSchemaOptions tabular = columns.Parse(parse, csv: parse.GetValue(data.Data) is not null);
            TabularData table = data.Load(parse, cli, "digits", raw: true, sampleWeight: parse.GetValue(sampleWeight));
            if (table.Raw is not null)
            {
                TabularEncoding.CheckCells(table, tabular);
            }
            Optimizer optimizer = settings.OptimizerFor(table);
            Dataset<float> all = table.Dataset;
            (Loss loss, Activation outputActivation, int outputCount) = TrainingRun.ChooseLoss(settings.LossName, all);
            IReadOnlyList<(int[] Train, int[] Test)> parts;
            try
            {
                parts = all.IsClassification ? CrossValidation.Folds(all.Rows, k, settings.Seed, all.Labels.Span, all.ClassNames) : CrossValidation.Folds(all.Rows, k, settings.Seed);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--folds: {table.Source}: {ErrorText.WithoutParameter(e)}");
            }
            var options = new TrainerOptions<float>
            {
                Loss = loss,
                Optimizer = optimizer,
                Schedule = settings.Schedule,
                Epochs = settings.Epochs,
                BatchSize = settings.BatchSize,
                Seed = settings.Seed,
                Standardize = !table.IsScaled,
                StandardizeTargets = !all.IsClassification && outputActivation == Activation.Identity,
                Dropout = settings.Dropout,
                ClassWeights = settings.ClassWeights,
                EarlyStopping = settings.EarlyStopping,
                Threads = settings.Threads,
            };
            console.Line($"Data: {table.Source}: {all.Rows} rows, " + (all.IsClassification ? $"{all.ClassCount} classes (target '{table.TargetName}')" : $"regression on '{table.TargetName}'") +
                         (table.SampleWeightName is { } weightColumn ? $", rows weighted by '{weightColumn}'" : "") +
                         $"; {k} {(all.IsClassification ? "stratified " : "")}folds (seed {settings.Seed}){(options.EarlyStopping is null ? "" : ", early stopping on a fifth of each training part")}");
            CrossValidationResult result;
            var notes = new List<string>();
            try
            {
                result = CrossValidation.Run(parts, (f, train, test) => Prepare(table, tabular, f, train, test, notes),
                    (f, train) => new Mlp<float>([train.FeatureCount, .. settings.Hidden, outputCount], settings.HiddenActivation, outputActivation, settings.Seed),
                    Capped(options, parts), settings.Seed, cli.Cancellation);
            }
            catch (OperationCanceledException)
            {
                console.Error.WriteLine("cancelled; nothing was written.");
                return ExitCodes.Cancelled;
            }
            catch (ArgumentException e) when (e.ParamName == "options.ClassWeights")
            {
                throw new CliException($"--class-weight: {ErrorText.WithoutParameter(e)}");
            }
            foreach (string note in notes)
            {
                console.Line($"Note: {note}.");
            }
            Report(console, result, all.IsClassification);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A fold's parts, encoded by a column schema fitted on its training rows when the CSV was read as text; categories of
    /// its held-out rows that its training rows lack are noted in <paramref name="notes"/>.
    /// </summary>
    private static (Dataset<float> Train, Dataset<float> Test) Prepare(TabularData table, TabularSchemaOptions tabular, int fold, int[] train, int[] test, List<string> notes)
    {
        Dataset<float>[] parts = [table.Dataset.Subset(train), table.Dataset.Subset(test)];
        if (table.Raw is not null)
        {
            string[] foldNotes;
            (parts, _, foldNotes) = TabularEncoding.FitAndEncode(table, parts, tabular, ["training part", $"fold {fold + 1}'s held-out part"]);
            notes.AddRange(foldNotes);
        }
        return (parts[0], parts[1]);
    }

    /// <summary>The batch size capped at the smallest training part (full-batch stays full-batch).</summary>
    private static TrainerOptions<float> Capped(TrainerOptions<float> options, IReadOnlyList<(int[] Train, int[] Test)> parts)
    {
        options.BatchSize = Math.Min(options.BatchSize, parts.Min(p => p.Train.Length));
        return options;
    }

    private static readonly (string Name, Func<EvaluationResult, double> Value)[] Classification =
    [
        ("accuracy", r => r.Accuracy), ("balanced accuracy", r => r.BalancedAccuracy), ("macro F1", r => r.MacroAverage.F1),
        ("ROC-AUC", r => r.RocAuc), ("log-loss", r => r.LogLoss),
    ];

    private static readonly (string Name, Func<EvaluationResult, double> Value)[] Regression =
    [
        ("RMSE", r => r.RootMeanSquaredError), ("MAE", r => r.MeanAbsoluteError), ("R²", r => r.RSquared),
    ];

    private static void Report(CliOutput console, CrossValidationResult result, bool classification)
    {
        (string Name, Func<EvaluationResult, double> Value)[] metrics = classification ? Classification : Regression;
        var table = new Table().Border(TableBorder.Simple).AddColumn("fold").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("epochs").RightAligned());
        foreach ((string name, _) in metrics)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }
        for (int f = 0; f < result.Folds.Count; f++)
        {
            EvaluationResult r = result.Folds[f];
            table.AddRow([(f + 1).ToString(CultureInfo.InvariantCulture), r.Rows.ToString(CultureInfo.InvariantCulture),
                          result.Histories[f].EpochCount.ToString(CultureInfo.InvariantCulture), .. metrics.Select(m => Format(m.Value(r)))]);
        }
        table.AddRow(["mean ± std", result.Folds.Sum(r => r.Rows).ToString(CultureInfo.InvariantCulture), "",
                      .. metrics.Select(m => result.Summary(m.Value) is var (mean, std) ? $"{Format(mean)} ± {Format(std)}" : "")]);
        console.Write(table);
        (double accuracyMean, double accuracyStd) = result.Summary(metrics[0].Value);
        console.Essential($"{metrics[0].Name} {Format(accuracyMean)} ± {Format(accuracyStd)} over {result.Folds.Count} folds");
        console.JsonResult(new CrossValidationJson(result.Folds.Count,
            [.. result.Folds.Select((r, f) => new CrossValidationFoldJson(f + 1, r.Rows, result.Histories[f].EpochCount, Metrics(metrics, m => m(r))))],
            Metrics(metrics, m => result.Summary(m).Mean), Metrics(metrics, m => result.Summary(m).StandardDeviation)));
    }

    /// <summary>Metric name (JSON spelling) → value; NaN or infinite (undefined) becomes null.</summary>
    private static Dictionary<string, double?> Metrics((string Name, Func<EvaluationResult, double> Value)[] metrics, Func<Func<EvaluationResult, double>, double> value) =>
        metrics.ToDictionary(m => JsonName(m.Name), m => value(m.Value) is var v && double.IsFinite(v) ? v : (double?)null);

    private static string JsonName(string name) => name switch
    {
        "balanced accuracy" => "balancedAccuracy",
        "macro F1" => "f1",
        "ROC-AUC" => "rocAuc",
        "log-loss" => "logLoss",
        "RMSE" => "rmse",
        "MAE" => "mae",
        "R²" => "r2",
        _ => name,
    };

    private static string Format(double value) => double.IsNaN(value) ? "—" : value.ToString("F4", CultureInfo.InvariantCulture);
}
