using System.CommandLine;
using System.Globalization;
using FastMlp.Cli.Data;

namespace FastMlp.Cli.Commands;

/// <summary><c>fastmlp evaluate --model m --data d.csv</c>: loss and accuracy/confusion matrix or RMSE/MAE/R².</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A model file written by 'fastmlp train'.", Required = true };
        var data = new Option<string>("--data") { Description = "CSV with the model's feature columns and its target column ('-' reads stdin).", Required = true };
        var output = new Option<string?>("--out") { Description = "Also write confusion.png (classification) into this folder." };
        var target = new Option<string?>("--target") { Description = "The target column of the CSV (default: the target the model was trained on)." };
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
            string[] featureNames = ModelFiles.FeatureNamesOf(network), classNames = ModelFiles.ClassNamesOf(network);
            string targetName = ModelFiles.TargetNameOf(network);
            bool classification = classNames.Length > 0;
            if (folder is not null && !classification)
            {
                throw new CliException("--out: writes confusion.png, which only a classification model has.");
            }
            TabularData table = CsvDataset.Load(parse.GetValue(data)!, parse.GetValue(target) ?? targetName,
                classification ? TaskKind.Classification : TaskKind.Regression, cli.Input, classification ? classNames : null, raw: network.Schema is not null);
            // Reorder the file's columns to the model's feature order (a schema encodes them as in training).
            (float[] features, int rows) = network.Schema is { } schema
                ? TabularEncoding.EncodeForModel(table, schema, cli.ErrorWriter)
                : CsvDataset.LoadFeaturesFrom(table, featureNames);
            Dataset<float> dataset = classification
                ? Dataset<float>.ForClassification(features, table.Dataset.Labels.Span, network.InputCount, classNames.Length, classNames)
                : Dataset<float>.ForRegression(features, table.Dataset.Targets.Span, network.InputCount);
            if (network.Loss is not { } loss)
            {
                throw new CliException($"{parse.GetValue(model)}: the model file records no loss; evaluate needs a model written by 'fastmlp train'.");
            }
            EvaluationResult result;
            if (network.Precision == WeightPrecision.Int8)
            {
                // An Int8 model file is scored as it runs (int8), not through its dequantized float weights.
                using InferenceModel<float> int8 = network.Freeze();
                result = int8.Evaluate(dataset);
            }
            else
            {
                using var trainer = new Trainer<float>(network, new TrainerOptions<float> { Loss = loss });
                result = trainer.Evaluate(dataset);
            }
            Reports.PrintEvaluation(console, result, classNames, table.Source);
            if (folder is not null && result.ConfusionMatrix is { } confusion)
            {
                Plots.Charts.Save(Plots.Charts.BuildConfusion(confusion, classNames, $"Confusion matrix on {table.Source} ({result.Rows} rows, accuracy {result.Accuracy:P2})"),
                                  outputs.Reserve(TrainingRun.ConfusionPath(folder)));
                outputs.Commit();
                console.Line($"Wrote {TrainingRun.ConfusionPath(folder)}");
            }
            console.Essential(classification
                ? string.Create(CultureInfo.InvariantCulture, $"accuracy {result.Accuracy:P2} on {rows} rows")
                : string.Create(CultureInfo.InvariantCulture, $"RMSE {result.RootMeanSquaredError:G5}, R² {result.RSquared:F4} on {rows} rows"));
            console.JsonResult(new EvaluateJson(
                Rows: rows,
                Loss: result.Loss,
                Accuracy: classification ? result.Accuracy : null,
                Rmse: classification ? null : result.RootMeanSquaredError,
                Mae: classification ? null : result.MeanAbsoluteError,
                R2: classification ? null : result.RSquared));
            return ExitCodes.Ok;
        });
        return command;
    }
}
