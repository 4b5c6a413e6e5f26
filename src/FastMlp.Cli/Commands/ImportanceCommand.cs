using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Data;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp importance --model m --data d.csv [--target y] [--repeats 5] [--seed 0] [--metric m] [--out importance.png]</c>:
/// permutation feature importance, a table and a bar chart.
/// </summary>
internal static class ImportanceCommand
{
    /// <summary>--metric names and the library metric each means.</summary>
    private static readonly Dictionary<string, ImportanceMetric> Metrics = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auto"] = ImportanceMetric.Default,
        ["accuracy"] = ImportanceMetric.Accuracy,
        ["balanced-accuracy"] = ImportanceMetric.BalancedAccuracy,
        ["f1"] = ImportanceMetric.MacroF1,
        ["rocauc"] = ImportanceMetric.RocAuc,
        ["logloss"] = ImportanceMetric.NegativeLogLoss,
        ["r2"] = ImportanceMetric.RSquared,
        ["rmse"] = ImportanceMetric.NegativeRootMeanSquaredError,
        ["mae"] = ImportanceMetric.NegativeMeanAbsoluteError,
    };

    private static readonly ImportanceMetric[] ClassificationMetrics =
        [ImportanceMetric.Accuracy, ImportanceMetric.BalancedAccuracy, ImportanceMetric.MacroF1, ImportanceMetric.RocAuc, ImportanceMetric.NegativeLogLoss];

    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A model file written by 'fastmlp train'.", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled CSV to score on, ideally held out ('-' reads stdin).", Required = true };
        var target = new Option<string?>("--target") { Description = "The target column of the CSV (default: the target the model was trained on)." };
        var repeats = new Option<int>("--repeats") { Description = "Shuffles per feature (1–1000).", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffles (same seed, same numbers).", DefaultValueFactory = _ => 0 };
        var metric = new Option<string>("--metric") { Description = "auto | accuracy | balanced-accuracy | f1 | rocauc | logloss | r2 | rmse | mae (auto: accuracy or R²; losses count as their negatives).", DefaultValueFactory = _ => "auto" };
        var output = new Option<string?>("--out") { Description = "Write the bar chart to this PNG file." };
        var command = new Command("importance", """
            Permutation feature importance: how much the model's score drops when one feature's values are shuffled
            across rows (mean ± standard deviation over --repeats shuffles).

            Examples:
              fastmlp importance --model fastmlp-output/model.fastmlp --data test.csv --out importance.png
              fastmlp importance --model model.fastmlp --data test.csv --metric rocauc --repeats 10 --json
            """);
        foreach (Option o in new Option[] { model, data, target, repeats, seed, metric, output })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            int repeatCount = parse.GetValue(repeats);
            if (repeatCount is < 1 or > 1000)
            {
                throw new CliException($"--repeats: must be 1 to 1000, but was {repeatCount}.");
            }
            string metricName = parse.GetValue(metric)!;
            if (!Metrics.TryGetValue(metricName, out ImportanceMetric chosen))
            {
                throw new CliException($"--metric: unknown metric '{metricName}'; choose one of {string.Join(", ", Metrics.Keys)}.");
            }
            string? plotPath = parse.GetValue(output);
            using var outputs = new OutputFiles(cli.Cancellation);
            if (plotPath is not null)
            {
                outputs.Plan("--out", plotPath);
            }
            Mlp<float> network = ModelFiles.Load(parse.GetValue(model)!);
            bool classification = ModelFiles.ClassNamesOf(network).Length > 0;
            if (chosen != ImportanceMetric.Default && ClassificationMetrics.Contains(chosen) != classification)
            {
                throw new CliException($"--metric: {metricName} scores {(classification ? "regression" : "classification")}, but this is a {(classification ? "classification" : "regression")} model.");
            }
            (Dataset<float> dataset, string source) = LabelledData.Load(cli, parse.GetValue(data)!, parse.GetValue(target), network);
            PermutationImportanceResult result;
            using (InferenceModel<float> inference = network.Freeze())
            {
                try
                {
                    // With a column schema, one group per original CSV column (a categorical column's one-hot features and a
                    // numeric column's missing indicator are shuffled together), else one per model input.
                    (IReadOnlyList<IReadOnlyList<int>>? groups, IReadOnlyList<string> names) = network.Schema is { } schema
                        ? ([.. schema.FeatureGroups.Select(g => (IReadOnlyList<int>)[.. Enumerable.Range(g.First, g.Count)])], [.. schema.FeatureGroups.Select(g => g.Column)])
                        : ((IReadOnlyList<IReadOnlyList<int>>?)null, ModelFiles.FeatureNamesOf(network));
                    result = PermutationImportance.Compute(inference, dataset, repeatCount, parse.GetValue(seed), chosen,
                                                           groups, names, cancellationToken: cli.Cancellation);
                }
                catch (ArgumentException e) when (e.ParamName is "data")
                {
                    // The metric is undefined on this data (ROC-AUC of rows of one class).
                    throw new CliException($"--metric: {metricName} on {source}: {ErrorText.WithoutParameter(e)}");
                }
            }
            string scoreName = ScoreName(result.Metric);
            var ordered = result.Groups.OrderByDescending(g => g.Mean).ToArray();
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"{source}: {dataset.Rows} rows, {scoreName} {result.BaselineScore:G5}; drop in {scoreName} when a feature is shuffled, over {repeatCount} repeats:"));
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("feature");
            table.AddColumn(new TableColumn("mean drop").RightAligned());
            table.AddColumn(new TableColumn("± std").RightAligned());
            foreach (FeatureImportance g in ordered)
            {
                table.AddRow(Markup.Escape(g.Name), g.Mean.ToString("F4", CultureInfo.InvariantCulture), g.StandardDeviation.ToString("F4", CultureInfo.InvariantCulture));
            }
            console.Write(table);
            if (plotPath is not null)
            {
                Plots.Charts.Save(Plots.Charts.BuildImportance([.. result.Groups.Select(g => (g.Name, g.Mean, g.StandardDeviation))], scoreName,
                                                               $"Permutation importance on {source} ({repeatCount} repeats)"),
                                  outputs.Reserve(plotPath));
                outputs.Commit();
                console.Line($"Wrote {plotPath}");
            }
            console.Essential(string.Create(CultureInfo.InvariantCulture,
                $"most important: {ordered[0].Name} (drop in {scoreName} {ordered[0].Mean:F4} ± {ordered[0].StandardDeviation:F4})"));
            console.JsonResult(new ImportanceJson(Metrics.First(m => m.Key != "auto" && m.Value == result.Metric).Key, result.BaselineScore, repeatCount, parse.GetValue(seed),
                [.. ordered.Select(g => new ImportanceGroupJson(g.Name, g.Mean, g.StandardDeviation, [.. g.Drops]))], plotPath));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string ScoreName(ImportanceMetric metric) => metric switch
    {
        ImportanceMetric.Accuracy => "accuracy",
        ImportanceMetric.BalancedAccuracy => "balanced accuracy",
        ImportanceMetric.MacroF1 => "macro F1",
        ImportanceMetric.RocAuc => "ROC-AUC",
        ImportanceMetric.NegativeLogLoss => "−log-loss",
        ImportanceMetric.RSquared => "R²",
        ImportanceMetric.NegativeRootMeanSquaredError => "−RMSE",
        _ => "−MAE",
    };
}
