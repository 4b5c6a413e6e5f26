using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;
using FastMlp.Cli.Training;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp evaluate --model m --data d.csv</c>: loss, accuracy, the confusion matrix and per-class precision/recall/F1,
/// balanced accuracy, ROC-AUC and log-loss; or RMSE/MAE/R².
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A model file written by 'fastmlp train'.", Required = true };
        var data = new Option<string>("--data") { Description = "CSV with the model's feature columns and its target column ('-' reads stdin).", Required = true };
        var output = new Option<string?>("--out") { Description = "Also write confusion.png (classification) into this folder." };
        var target = new Option<string?>("--target") { Description = "The target column of the CSV (default: the target the model was trained on)." };
        Option<double?> threshold = ThresholdOption.Create("Decision threshold of a binary model for this evaluation (default: the one stored in the model, 0.5 unless trained with --threshold).");
        var command = new Command("evaluate", """
            Evaluate a trained model on a labelled CSV file.

            Examples:
              fastmlp evaluate --model fastmlp-output/model.fastmlp --data test.csv
              cat test.csv | fastmlp evaluate --model model.fastmlp --data - --json
            """);
        command.Options.Add(model);
        command.Options.Add(data);
        command.Options.Add(target);
        command.Options.Add(output);
        command.Options.Add(threshold);
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            string? folder = parse.GetValue(output);
            using var outputs = new OutputFiles(cli.Cancellation);
            if (folder is not null)
            {
                outputs.Plan("--out", TrainingRun.ConfusionPath(folder));
            }
            Mlp<float> network = ModelFiles.Load(parse.GetValue(model)!);
            string[] classNames = ModelFiles.ClassNamesOf(network);
            bool classification = classNames.Length > 0;
            ThresholdOption.Apply(parse.GetValue(threshold), network, classNames.Length);
            if (folder is not null && !classification)
            {
                throw new CliException("--out: writes confusion.png, which only a classification model has.");
            }
            (Dataset<float> dataset, string source) = LabelledData.Load(cli, parse.GetValue(data)!, parse.GetValue(target), network);
            int rows = dataset.Rows;
            if (network.Loss is null)
            {
                throw new CliException($"{parse.GetValue(model)}: the model file records no loss; evaluate needs a model written by 'fastmlp train'.");
            }
            // Scored as the model runs (an Int8 file as int8), with no trainer: the loss is the cross-entropy of the
            // predicted probabilities, or the model's regression loss.
            EvaluationResult result;
            using (InferenceModel<float> inference = network.Freeze())
            {
                result = inference.Evaluate(dataset);
            }
            string[] targetNames = classification ? [] : ModelFiles.OutputNamesOf(network);
            Reports.PrintEvaluation(console, result, classNames, source, targetNames);
            if (folder is not null && result.ConfusionMatrix is { } confusion)
            {
                Plots.Charts.Save(Plots.Charts.BuildConfusion(confusion, classNames, $"Confusion matrix on {source} ({result.Rows} rows, accuracy {result.Accuracy:P2})"),
                                  outputs.Reserve(TrainingRun.ConfusionPath(folder)));
                outputs.Commit();
                console.Line($"Wrote {TrainingRun.ConfusionPath(folder)}");
            }
            console.Essential(classification
                ? string.Create(CultureInfo.InvariantCulture, $"accuracy {result.Accuracy:P2} on {rows} rows")
                : string.Create(CultureInfo.InvariantCulture, $"RMSE {result.RootMeanSquaredError:G5}, R² {result.RSquared:F4} on {rows} rows"));
            console.JsonResult(Reports.EvaluationJson(result, classNames, classNames.Length == 2 ? network.DecisionThreshold : null, targetNames));
            return ExitCodes.Ok;
        });
        return command;
    }
}
