using System.Diagnostics;
using System.Text;
using FastMlp;
using FastMlp.Numerics;
using PredictionServer;

// A model file served from an app that references the FastMlp package:
//   PredictionServer train <model>                 train a small classifier (is a point inside a circle?) and save it
//   PredictionServer serve <model>                 answer CSV lines from stdin on stdout, allocation-free per request
//   PredictionServer check <model> [--expect-path P] [--expect-diagnostic yes|no]
//                                                  accuracy, bytes allocated per request, GEMM path (exit 1 on a failed check)
// Models written by `fastmlp train` are served the same way (classes and feature standardization travel in the file).
if (args.Length < 2 || args[0] is not ("train" or "serve" or "check"))
{
    Console.Error.WriteLine("usage: PredictionServer train|serve|check <model-file> [--expect-path avx512|avx2|portable|scalar] [--expect-diagnostic yes|no]");
    return 2;
}
string modelPath = args[1];
try
{
    return args[0] switch
    {
        "train" => Train(modelPath),
        "serve" => Serve(modelPath),
        _ => Check(modelPath, Option("--expect-path"), Option("--expect-diagnostic")),
    };
}
catch (Exception e) when (e is IOException or ModelFormatException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

string? Option(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static int Train(string path)
{
    (float[] x, int[] labels) = Circle(2000, seed: 1);
    var data = Dataset<float>.ForClassification(x, labels, featureCount: 2, classCount: 2);
    var model = new Mlp<float>([2, 32, 32, 2], Activation.ReLU, Activation.Softmax, seed: 1);
    using (var trainer = new Trainer<float>(model, new TrainerOptions<float>
    {
        Loss = Loss.SoftmaxCrossEntropy,
        Optimizer = Optimizer.Adam(0.01),
        BatchSize = 32,
        Epochs = 40,
        Seed = 1,
    }))
    {
        TrainingHistory history = trainer.Fit(data, validation: null);
        Console.WriteLine($"{history.Message} Final training loss {history.TrainLoss[^1]:G4}.");
    }
    model.ClassNames = ["outside", "inside"];
    model.FeatureNames = ["x", "y"];
    model.Save(path);
    Console.WriteLine($"Wrote {path}");
    return 0;
}

static int Serve(string path)
{
    var service = new PredictionService(InferenceModel<float>.Load(path));
    using Stream input = Console.OpenStandardInput(), output = Console.OpenStandardOutput();
    byte[] read = new byte[1 << 16], line = new byte[1 << 16], answer = new byte[1 << 14];
    char[] request = new char[1 << 16], response = new char[1 << 12];
    int lineLength = 0, n;
    while ((n = input.Read(read)) > 0)
    {
        int answered = 0;
        foreach (byte b in read.AsSpan(0, n))
        {
            if (b != (byte)'\n')
            {
                if (lineLength < line.Length) line[lineLength++] = b;
                continue;
            }
            int chars = Encoding.UTF8.GetChars(line.AsSpan(0, lineLength), request);
            lineLength = 0;
            int length = service.Handle(request.AsSpan(0, chars).TrimEnd('\r'), response);
            if (answered + 4 * length + 1 > answer.Length)
            {
                output.Write(answer, 0, answered);
                answered = 0;
            }
            answered += Encoding.UTF8.GetBytes(response.AsSpan(0, length), answer.AsSpan(answered));
            answer[answered++] = (byte)'\n';
        }
        output.Write(answer, 0, answered);
        output.Flush();
    }
    return 0;
}

static int Check(string path, string? expectPath, string? expectDiagnostic)
{
    var service = new PredictionService(InferenceModel<float>.Load(path));
    Console.WriteLine($"GEMM path {Gemm.ActivePath}, CPU supports {Gemm.CpuPath}");
    if (Gemm.PathDiagnostic is { } diagnostic)
    {
        Console.WriteLine($"Warning: {diagnostic}");
    }

    (float[] x, int[] labels) = Circle(1000, seed: 2);
    string[] requests = [.. Enumerable.Range(0, labels.Length).Select(i => FormattableString.Invariant($"{x[2 * i]},{x[2 * i + 1]}"))];
    char[] response = new char[256];
    int correct = 0;
    for (int i = 0; i < requests.Length; i++)
    {
        int length = service.Handle(requests[i], response);
        correct += response.AsSpan(0, length).StartsWith(labels[i] == 1 ? "inside," : "outside,") ? 1 : 0;
    }
    double accuracy = (double)correct / requests.Length;

    // The second round is the measured one: the first lets the JIT finish tiering up (its stubs allocate).
    const int Requests = 20_000;
    long allocated = 0;
    var clock = new Stopwatch();
    for (int round = 0; round < 2; round++)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        clock.Restart();
        for (int i = 0; i < Requests; i++)
        {
            service.Handle(requests[i % requests.Length], response);
        }
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated == 0)
        {
            break;
        }
        Thread.Sleep(200);
    }
    Console.WriteLine(FormattableString.Invariant(
        $"accuracy {accuracy:P1} on {requests.Length} new points; {allocated} bytes allocated in {Requests} requests; {clock.Elapsed.TotalMicroseconds / Requests:F2} µs per request (Stopwatch, indicative)"));

    bool ok = accuracy >= 0.95 && allocated == 0;
    if (expectPath is not null && !string.Equals(expectPath, Gemm.ActivePath.ToString(), StringComparison.OrdinalIgnoreCase))
    {
        Console.WriteLine($"check failed: expected GEMM path {expectPath}, got {Gemm.ActivePath}");
        ok = false;
    }
    if (expectDiagnostic is not null && (expectDiagnostic == "yes") != (Gemm.PathDiagnostic is not null))
    {
        Console.WriteLine($"check failed: expected {(expectDiagnostic == "yes" ? "a" : "no")} path diagnostic");
        ok = false;
    }
    Console.WriteLine(ok ? "check passed" : "check FAILED");
    return ok ? 0 : 1;
}

// Points uniform in [-2, 2]²; label 1 inside the circle of radius 1.4 (about half of them).
static (float[] X, int[] Labels) Circle(int count, int seed)
{
    var random = new Random(seed);
    var x = new float[2 * count];
    var labels = new int[count];
    for (int i = 0; i < count; i++)
    {
        float a = (float)(random.NextDouble() * 4 - 2), b = (float)(random.NextDouble() * 4 - 2);
        x[2 * i] = a;
        x[2 * i + 1] = b;
        labels[i] = a * a + b * b < 1.96f ? 1 : 0;
    }
    return (x, labels);
}
