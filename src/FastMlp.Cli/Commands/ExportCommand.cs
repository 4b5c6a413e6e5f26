using System.CommandLine;
using FastMlp.Cli.Data;

namespace FastMlp.Cli.Commands;

/// <summary><c>fastmlp export --model m --onnx out.onnx</c>: the trained model as ONNX for ONNX Runtime on phones, edge boxes, cars.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A model file written by 'fastmlp train'.", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "Where to write the ONNX model (opset 13, float input 'input' [batch × features]).", Required = true };
        var command = new Command("export", """
            Export a trained model to ONNX (standardization included; Gemm + activations; dynamic batch size).

            Examples:
              fastmlp export --model fastmlp-output/model.fastmlp --onnx model.onnx
            """);
        command.Options.Add(model);
        command.Options.Add(onnx);
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            string modelPath = parse.GetValue(model)!, onnxPath = parse.GetValue(onnx)!;
            using var outputs = new OutputFiles(cli.Cancellation);
            outputs.Plan("--onnx", onnxPath);
            Mlp<float> network = ModelFiles.Load(modelPath);
            InferenceModel<float> inference = network.Freeze();
            long bytes = 0;
            outputs.Write(onnxPath, stream =>
            {
                inference.ExportOnnx(stream);
                bytes = stream.Length;
            });
            outputs.Commit();
            string inputs = inference.Schema is { HasEncodedColumns: true } schema
                ? "one input per column, [batch × 1] each: " + string.Join(", ", schema.Columns.Select(c => $"'{c.Name}' {(c.Kind == ColumnKind.Numeric ? "float (NaN = missing)" : "string")}"))
                : inference.Schema is { } numeric
                    ? $"input 'input' [batch × {inference.InputCount}] (NaN = missing, imputed with the training {numeric.Imputation.ToString().ToLowerInvariant()})"
                    : $"input 'input' [batch × {inference.InputCount}]";
            console.Essential($"Wrote {onnxPath} ({bytes:N0} bytes): {inputs}, output 'output' [batch × {inference.OutputCount}]");
            console.JsonResult(new ExportJson(onnxPath, inference.InputCount, inference.OutputCount));
            return ExitCodes.Ok;
        });
        return command;
    }
}
