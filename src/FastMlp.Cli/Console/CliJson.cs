using System.Text.Json.Serialization;

namespace FastMlp.Cli;

// The --json documents, one record per command. Source-generated serialization (no reflection) keeps the
// CLI publishable with NativeAOT; camelCase keys follow from the property names.

internal sealed record TrainFilesJson(string Model, string History, string Plot);

internal sealed record TrainJson(string Data, string Architecture, string Loss, string Optimizer, int Epochs, int BestEpoch, string Status,
                                 string Message, string EvaluatedOn, double? Accuracy, double? Rmse, double? R2, double FinalLoss, double Seconds,
                                 TrainFilesJson Files);

internal sealed record ClassMetricsJson(double Precision, double Recall, double F1, long Support);

// precision, recall and f1 are macro averages; rocAuc is null where it is undefined (one class in the data).
internal sealed record EvaluateJson(int Rows, double Loss, double? Accuracy, double? BalancedAccuracy, double? Precision, double? Recall, double? F1,
                                    double? RocAuc, double? LogLoss, Dictionary<string, ClassMetricsJson>? PerClass, double? Threshold,
                                    double? Rmse, double? Mae, double? R2, Dictionary<string, TargetMetricsJson>? PerTarget = null);

internal sealed record TargetMetricsJson(double Rmse, double Mae, double R2);

internal sealed record ImportanceGroupJson(string Name, double Mean, double Std, double[] Drops);

internal sealed record ImportanceJson(string Metric, double Baseline, int Repeats, int Seed, List<ImportanceGroupJson> Features,
                                      [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Plot);

internal sealed record PredictionJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Class,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Probability,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Value);

internal sealed record PredictJson(int Rows, List<PredictionJson> Predictions);

internal sealed record ExportJson(string Onnx, int Inputs, int Outputs);

internal sealed record BenchGemmJson(int M, int N, int K, double Seconds, double Gflops);

internal sealed record BenchJson(string Path, string CpuPath, List<BenchGemmJson> Gemm, double TrainStepSeconds, double Predict1Seconds,
                                 double Predict64Seconds, bool PathsAgree, string Int8Path, double Int8Predict1Seconds, double Int8Predict64Seconds);

internal sealed record GradCheckLayerJson(int Layer, int ParametersChecked, double MaxAbsoluteError, double MaxRelativeError, bool Pass);

internal sealed record GradCheckJson(bool Pass, double MaxAbsoluteError, double MaxRelativeError, int ParametersChecked, int ParametersSkipped,
                                     string Worst, double Tolerance, List<GradCheckLayerJson> Layers);

internal sealed record LrFindJson(double Suggested, IReadOnlyList<double> Rates, IReadOnlyList<double> Losses, IReadOnlyList<double> Smoothed, string Plot);

internal sealed record LrSweepRunJson(string Run, double Rate, int Epochs, double FinalLoss, bool Diverged);

internal sealed record LrSweepJson(List<LrSweepRunJson> Runs, string Plot);

internal sealed record DemoEpochJson(int Epoch, double M, double B, double Cost);

internal sealed record DemoPathJson(double Rate, double M, double B, string Behaviour);

internal sealed record DemoJson(double M, double B, double TrueM, double TrueB, double LeastSquaresM, double LeastSquaresB, double StabilityLimit,
                                List<DemoEpochJson> Epochs, List<DemoPathJson> Paths, string[] Plots);

internal sealed record BeforeAfterJson(double Before, double After);

internal sealed record FullInt8Json(double Full, double Int8);

internal sealed record QuantizeJson(string Model, string Out, int Rows, BeforeAfterJson? Accuracy, BeforeAfterJson? Rmse, BeforeAfterJson Loss,
                                    FullInt8Json Predict1Seconds, FullInt8Json Predict64Seconds, string Int8Path);

internal sealed record CrossValidationFoldJson(int Fold, int Rows, int Epochs, Dictionary<string, double?> Metrics);

// metrics per fold and their mean and (population) std over the folds; null where a metric is undefined.
internal sealed record CrossValidationJson(int Folds, List<CrossValidationFoldJson> PerFold, Dictionary<string, double?> Mean, Dictionary<string, double?> Std);
internal sealed record ImportJson(string Safetensors, string Out, int[] LayerSizes, string Activation, string Output, int Parameters, string[]? ClassNames);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
                             NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(TrainJson))]
[JsonSerializable(typeof(EvaluateJson))]
[JsonSerializable(typeof(PredictJson))]
[JsonSerializable(typeof(ExportJson))]
[JsonSerializable(typeof(BenchJson))]
[JsonSerializable(typeof(GradCheckJson))]
[JsonSerializable(typeof(LrFindJson))]
[JsonSerializable(typeof(LrSweepJson))]
[JsonSerializable(typeof(DemoJson))]
[JsonSerializable(typeof(QuantizeJson))]
[JsonSerializable(typeof(ImportanceJson))]
[JsonSerializable(typeof(CrossValidationJson))]
[JsonSerializable(typeof(ImportJson))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
