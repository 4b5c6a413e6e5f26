using System.CommandLine;
using System.Globalization;
using System.Text;
using FastMlp.Cli.Data;
using FastMlp.Cli.Options;

namespace FastMlp.Cli.Commands;

/// <summary><c>fastmlp predict --model m --data in.csv [--out preds.csv]</c>: one prediction per row, classes by name.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A model file written by 'fastmlp train'.", Required = true };
        var data = new Option<string>("--data") { Description = "CSV with the model's feature columns (by name, or exactly that many columns); '-' reads stdin.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write predictions to this CSV instead of standard output." };
        Option<double?> threshold = ThresholdOption.Create("Decision threshold of a binary model (default: the one stored in the model, 0.5 unless trained with --threshold).");
        var command = new Command("predict", """
            Predict with a trained model: one output row per input row (class name and probability, or the value).

            Examples:
              fastmlp predict --model fastmlp-output/model.fastmlp --data new.csv --out preds.csv
              cat new.csv | fastmlp predict --model model.fastmlp --data -
            """);
        command.Options.Add(model);
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(threshold);
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            string? path = parse.GetValue(output);
            using var files = new OutputFiles(cli.Cancellation);
            if (path is not null)
            {
                files.Plan("--out", path);
            }
            Mlp<float> network = ModelFiles.Load(parse.GetValue(model)!);
            string[] featureNames = ModelFiles.FeatureNamesOf(network), classNames = ModelFiles.ClassNamesOf(network);
            string targetName = ModelFiles.TargetNameOf(network);
            bool classification = classNames.Length > 0;
            ThresholdOption.Apply(parse.GetValue(threshold), network, classNames.Length);
            float[] features;
            int rows;
            if (network.Schema is { } schema)
            {
                // Raw cells by column name, encoded as in training; unseen categories are counted and reported.
                (string source, RawTable raw) = CsvDataset.LoadRawFeatures(parse.GetValue(data)!, schema.ColumnNames, cli.Input, cli.ErrorWriter, targetName);
                TabularBatch<float> batch = TabularEncoding.Encode(source, raw, schema);
                if (TabularEncoding.Unseen(batch) is { } unseen)
                {
                    cli.ErrorWriter.WriteLine($"warning: {source}: {unseen}.");
                }
                (features, rows) = (batch.Features, batch.Rows);
            }
            else
            {
                (features, rows) = CsvDataset.LoadFeatures(parse.GetValue(data)!, featureNames, cli.Input, cli.ErrorWriter, targetName);
            }
            InferenceModel<float> inference = network.Freeze();
            int outputs = inference.OutputCount;
            var predictions = new float[rows * outputs];
            inference.Predict(features, predictions, rows);

            var csv = new StringBuilder();
            var json = new List<PredictionJson>(rows);
            bool binary = classification && outputs == 1;
            csv.AppendLine(classification ? $"{Quote(targetName)},probability"
                : string.Join(',', ModelFiles.OutputNamesOf(network).Select(Quote)));
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> o = predictions.AsSpan(r * outputs, outputs);
                if (classification)
                {
                    int best = inference.PredictedClass(o);
                    float p = binary ? (best == 1 ? o[0] : 1 - o[0]) : o[best];
                    string name = classNames[best];
                    csv.Append(CultureInfo.InvariantCulture, $"{Quote(name)},{p:G6}\n");
                    json.Add(new PredictionJson(name, p, null));
                }
                else
                {
                    csv.AppendLine(string.Join(',', o.ToArray().Select(v => v.ToString("G7", CultureInfo.InvariantCulture))));
                    json.Add(new PredictionJson(null, null, o.ToArray()));
                }
            }
            if (path is not null)
            {
                files.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(csv.ToString())));
                files.Commit();
                console.Essential($"Wrote {rows} predictions to {path}");
            }
            else if (!console.Json)
            {
                cli.OutputWriter.Write(csv.ToString());
            }
            console.JsonResult(new PredictJson(rows, json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
