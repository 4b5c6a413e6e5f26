using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FastMlp.Cli.Options;
using FastMlp.Numerics;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>
/// <c>fastmlp bench</c>: a quick Stopwatch look (~10 s) at GEMM GFLOP/s on MLP shapes (checked against the scalar
/// reference), a 784-128-10 training step and predict latency. The measured figures come from BenchmarkDotNet.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext cli)
    {
        var seconds = new Option<double>("--seconds") { Description = "Approximate time per measurement.", DefaultValueFactory = _ => 0.6 };
        var command = new Command("bench", """
            Quick benchmark on this machine: GEMM GFLOP/s per MLP shape (each SIMD path checked against the scalar
            reference), one training step of 784-128-10 (batch 64) and predict latency (float and int8); prints the active ISA path.
            Force a path with FASTMLP_ISA=avx512|avx2|portable|scalar.

            Examples:
              fastmlp bench
              FASTMLP_ISA=avx2 fastmlp bench --json
            """);
        command.Options.Add(seconds);
        command.SetAction(parse =>
        {
            CliOutput console = cli.OutputFor(parse);
            double budget = OptionParsing.InRange(parse.GetValue(seconds), "--seconds", 0.01, 60);
            console.Line($"GEMM path: {Gemm.ActivePath} (this CPU supports: {string.Join(", ", Gemm.SupportedPaths)}; force one with FASTMLP_ISA); {Environment.ProcessorCount} logical cores");
            if (Gemm.PathDiagnostic is { } slowerPath)
            {
                console.Line($"Warning: {slowerPath}");
            }
            var rng = new Random(42);
            var gemm = new Table().Border(TableBorder.Simple).AddColumns("m × n × k", "time", "GFLOP/s", "vs scalar reference");
            var json = new List<BenchGemmJson>();
            bool allOk = true;
            foreach ((int m, int n, int k) in new[] { (64, 128, 784), (64, 10, 128), (256, 256, 256), (512, 512, 512), (1, 128, 784) })
            {
                float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n], reference = new float[m * n];
                Gemm.Multiply(GemmPath.Scalar, false, false, m, n, k, 1f, a, k, b, n, 0f, reference, n);
                var check = new List<string>();
                foreach (GemmPath path in Gemm.SupportedPaths)
                {
                    Gemm.Multiply(path, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                    bool ok = MaxRelativeError(c, reference) < 1e-4;
                    allOk &= ok;
                    check.Add($"{path}:{(ok ? "ok" : "FAIL")}");
                }
                double s = Time(budget, () => Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n));
                double gflops = 2.0 * m * n * k / s / 1e9;
                gemm.AddRow(F($"{m} × {n} × {k}"), Micro(s), F($"{gflops:F1}"), string.Join(' ', check));
                json.Add(new BenchGemmJson(m, n, k, s, gflops));
            }
            console.Write(gemm);

            var model = new Mlp<float>([784, 128, 10], Activation.ReLU, Activation.Softmax, 1);
            float[] x = Fill(rng, 64 * 784), y = new float[64 * 10];
            for (int r = 0; r < 64; r++) y[r * 10 + rng.Next(10)] = 1;
            double step;
            using (var trainer = new Trainer<float>(model, new TrainerOptions<float> { Loss = Loss.SoftmaxCrossEntropy, Optimizer = Optimizer.Sgd(1e-4, 0.9), BatchSize = 64 }))
            {
                step = Time(budget, () => trainer.Step(x, y, 64));
            }
            InferenceModel<float> inference = model.Freeze();
            float[] outputs = new float[64 * 10];
            double predict1 = Time(budget, () => inference.Predict(x.AsSpan(0, 784), outputs.AsSpan(0, 10), 1));
            double predict64 = Time(budget, () => inference.Predict(x, outputs, 64));
            using InferenceModel<float> int8 = inference.Quantize(WeightPrecision.Int8);
            double int8One = Time(budget, () => int8.Predict(x.AsSpan(0, 784), outputs.AsSpan(0, 10), 1));
            double int8Batch = Time(budget, () => int8.Predict(x, outputs, 64));
            var mlp = new Table().Border(TableBorder.Simple).AddColumns("784-128-10", "time", "throughput");
            mlp.AddRow("train step, batch 64", Micro(step), F($"{64 / step:N0} rows/s"));
            mlp.AddRow("predict, batch 1", Micro(predict1), F($"{1 / predict1:N0} rows/s"));
            mlp.AddRow("predict, batch 64", Micro(predict64), F($"{64 / predict64:N0} rows/s"));
            mlp.AddRow(F($"int8 predict, batch 1 ({Int8Paths.Active})"), Micro(int8One), F($"{1 / int8One:N0} rows/s"));
            mlp.AddRow("int8 predict, batch 64", Micro(int8Batch), F($"{64 / int8Batch:N0} rows/s"));
            console.Write(mlp);
            console.Line(allOk ? "All GEMM paths agree with the scalar reference." : "Some GEMM paths disagree with the scalar reference!");
            console.Line("(Quick Stopwatch timing; the measured figures come from the BenchmarkDotNet suite, see README.)");
            console.Essential(F($"{Gemm.ActivePath}: train step {step * 1e6:F1} µs, predict {predict1 * 1e6:F2} µs (batch 1), {predict64 * 1e6:F1} µs (batch 64)"));
            console.JsonResult(new BenchJson(Gemm.ActivePath.ToString(), Gemm.CpuPath.ToString(), json, step, predict1, predict64, allOk,
                                             Int8Paths.Active.ToString(), int8One, int8Batch));
            return allOk ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>Seconds per call: warm up (tiering), then repeat for about <paramref name="budget"/> seconds.</summary>
    private static double Time(double budget, Action action)
    {
        var warm = Stopwatch.StartNew();
        long calls = 0;
        while (warm.Elapsed.TotalSeconds < budget / 3 || calls < 3)
        {
            action();
            calls++;
        }
        long reps = Math.Max(3, (long)(calls * 2));
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < reps; i++)
        {
            action();
        }
        return sw.Elapsed.TotalSeconds / reps;
    }

    private static float[] Fill(Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    private static double MaxRelativeError(float[] actual, float[] expected)
    {
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i])));
        }
        return worst;
    }

    private static string Micro(double seconds) => F($"{seconds * 1e6:F2} µs");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
