using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FastMlp.Cli.Data;
using FastMlp.Numerics;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp quantize --model m --out m-int8 [--data d.csv | --dataset name]</c>: an Int8 copy of a model, with
/// accuracy (or RMSE) before and after on evaluation data and the predict speed of both.
/// </summary>
internal static class QuantizeCommand
{
    /// <summary>The MNIST part used when no data is given: the last 2000 embedded rows (the accuracy section's test part).</summary>
    private const int MnistTestRows = 2000;

    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A model file written by 'fastmlp train'.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the Int8 model file.", Required = true };
        var data = new Option<string?>("--data") { Description = "CSV with the model's feature columns and its target, to measure the accuracy change ('-' reads stdin)." };
        var dataset = new Option<string?>("--dataset") { Description = "An embedded dataset to measure on instead: mnist, digits or diabetes." };
        var command = new Command("quantize", """
            Quantize a trained model to 8-bit integer weights (per-output scales; activations quantized per row at
            run time, exact integer sums; layers with fewer than 16 outputs stay in float) and report accuracy or
            RMSE before and after, and the predict speed of both. The Int8 file works with evaluate, predict and export.
            Without --data or --dataset, an MNIST model is measured on the last 2000 rows of the embedded MNIST set.

            Examples:
              fastmlp quantize --model fastmlp-output/model.fastmlp --out model-int8.fastmlp
              fastmlp quantize --model model.fastmlp --out model-int8.fastmlp --data test.csv
            """);
        command.Options.Add(model);
        command.Options.Add(output);
        command.Options.Add(data);
        command.Options.Add(dataset);
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            string modelPath = parse.GetValue(model)!, outPath = parse.GetValue(output)!;
            using var outputs = new OutputFiles(cli.Cancellation);
            outputs.Plan("--out", outPath);
            if (parse.GetValue(dataset) is { } named && !EmbeddedDatasets.Names.Contains(named.ToLowerInvariant()))
            {
                throw new CliException($"--dataset: unknown dataset '{named}'; choose one of {string.Join(", ", EmbeddedDatasets.Names)}.");
            }
            Mlp<float> network = ModelFiles.Load(modelPath);
            if (network.Precision == WeightPrecision.Int8)
            {
                throw new CliException($"{modelPath}: the model is already Int8 (quantize the full-precision model instead).");
            }
            Dataset<float> evaluation = LoadEvaluation(parse.GetValue(data), parse.GetValue(dataset), network, modelPath, cli, out string source);
            using InferenceModel<float> full = network.Freeze();
            using InferenceModel<float> int8 = full.Quantize(WeightPrecision.Int8);
            EvaluationResult before = full.Evaluate(evaluation), after = int8.Evaluate(evaluation);
            (double full1, double full64) = PredictSpeed(full, evaluation);
            (double int81, double int864) = PredictSpeed(int8, evaluation);
            outputs.Write(outPath, int8.Save);
            outputs.Commit();

            bool classify = ModelFiles.ClassNamesOf(network).Length > 0;
            string metric = classify ? "accuracy" : "RMSE";
            double b = classify ? before.Accuracy : before.RootMeanSquaredError, a = classify ? after.Accuracy : after.RootMeanSquaredError;
            string change = classify ? F($"{(a - b) * 100:+0.00;-0.00;0.00} points") : F($"{(a / b - 1) * 100:+0.00;-0.00;0.00} %");
            int int8Layers = int8.LayerPrecisions.Count(p => p == WeightPrecision.Int8);
            console.Line($"Quantized {modelPath}: {int8Layers} of {int8.LayerPrecisions.Count} layers int8 (int8 path {Int8Paths.Active}); measured on {source}");
            var table = new Table().Border(TableBorder.Simple).AddColumns("", "float", "int8", "change");
            table.AddRow(metric, Metric(b, classify), Metric(a, classify), change);
            table.AddRow("loss", F($"{before.Loss:G5}"), F($"{after.Loss:G5}"), F($"{after.Loss - before.Loss:+0.#####;-0.#####;0}"));
            table.AddRow("predict, 1 row", Micro(full1), Micro(int81), F($"{full1 / int81:F2}× faster"));
            table.AddRow("predict, 64 rows", Micro(full64), Micro(int864), F($"{full64 / int864:F2}× faster"));
            table.AddRow("file size", Size(modelPath), Size(outPath), "");
            console.Write(table);
            console.Line("(Quick Stopwatch timing; the measured figures come from the BenchmarkDotNet suite, see README.)");
            console.Essential(F($"Wrote {outPath}: {metric} {Metric(b, classify)} → {Metric(a, classify)} ({change}), predict {full1 * 1e6:F2} → {int81 * 1e6:F2} µs per row"));
            console.JsonResult(new QuantizeJson(modelPath, outPath, evaluation.Rows, classify ? new BeforeAfterJson(b, a) : null, classify ? null : new BeforeAfterJson(b, a),
                                                new BeforeAfterJson(before.Loss, after.Loss), new FullInt8Json(full1, int81), new FullInt8Json(full64, int864),
                                                Int8Paths.Active.ToString()));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Dataset<float> LoadEvaluation(string? csv, string? embedded, Mlp<float> network, string modelPath, CliContext cli, out string source)
    {
        string[] featureNames = ModelFiles.FeatureNamesOf(network), classNames = ModelFiles.ClassNamesOf(network);
        string targetName = ModelFiles.TargetNameOf(network);
        bool classification = classNames.Length > 0;
        if (csv is not null && embedded is not null)
        {
            throw new CliException("--data and --dataset choose the evaluation data: give only one of them.");
        }
        bool mnist = featureNames.Length == 784 && featureNames[0] == "pixel0" && classNames.Length == 10;
        if (csv is null && embedded is null && !mnist)
        {
            throw new CliException($"{modelPath}: give evaluation data with --data (a CSV with the model's features and target '{targetName}') or --dataset; only MNIST models have a default.");
        }
        TabularData table = csv is not null
            ? CsvDataset.Load(csv, targetName, classification ? TaskKind.Classification : TaskKind.Regression, cli.Input, classification ? classNames : null, raw: network.Schema is not null)
            : EmbeddedDatasets.Load((embedded ?? "mnist").ToLowerInvariant());
        if (table.Dataset.IsClassification != classification)
        {
            throw new CliException($"{table.Source}: the data is a {(table.Dataset.IsClassification ? "classification" : "regression")} set, but the model does {(classification ? "classification" : "regression")}.");
        }
        if (classification && !table.Dataset.ClassNames.SequenceEqual(classNames))
        {
            throw new CliException($"{table.Source}: its classes ({string.Join(", ", table.Dataset.ClassNames.Take(12))}) are not the model's ({string.Join(", ", classNames.Take(12))}).");
        }
        (float[] features, int rows) = network.Schema is { } schema && table.Raw is not null
            ? TabularEncoding.EncodeForModel(table, schema, cli.ErrorWriter)
            : CsvDataset.LoadFeaturesFrom(table, featureNames);
        int first = 0;
        if (csv is null && embedded is null)
        {
            first = rows - MnistTestRows;
            features = features[(first * featureNames.Length)..];
            rows = MnistTestRows;
        }
        source = csv is null && embedded is null ? $"{table.Source}, last {MnistTestRows} rows" : $"{table.Source}, {rows} rows";
        int width = featureNames.Length;
        return classification
            ? Dataset<float>.ForClassification(features, table.Dataset.Labels.Span.Slice(first, rows), width, classNames.Length, classNames)
            : Dataset<float>.ForRegression(features, table.Dataset.Targets.Span.Slice(first * table.Dataset.TargetCount, rows * table.Dataset.TargetCount), width, table.Dataset.TargetCount);
    }

    /// <summary>Seconds per Predict of 1 and of 64 rows (rows cycled from the evaluation data), after warm-up.</summary>
    private static (double One, double Batch) PredictSpeed(InferenceModel<float> model, Dataset<float> data)
    {
        int width = model.InputCount, rows = Math.Min(64, data.Rows);
        float[] x = data.Features.Span[..(rows * width)].ToArray(), y = new float[64 * model.OutputCount];
        return (Time(() => model.Predict(x.AsSpan(0, width), y.AsSpan(0, model.OutputCount))),
                Time(() => model.Predict(x, y.AsSpan(0, rows * model.OutputCount), rows)) * 64 / rows);
    }

    private static double Time(Action action)
    {
        for (var warm = Stopwatch.StartNew(); warm.ElapsedMilliseconds < 100;)
        {
            action();
        }
        double best = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            int calls = 0;
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 40)
            {
                action();
                calls++;
            }
            best = Math.Min(best, sw.Elapsed.TotalSeconds / calls);
        }
        return best;
    }

    private static string Metric(double value, bool classify) => classify ? F($"{value * 100:F2} %") : F($"{value:G5}");

    private static string Micro(double seconds) => F($"{seconds * 1e6:F2} µs");

    private static string Size(string path) => F($"{new FileInfo(path).Length:N0} B");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
