using System.Diagnostics;

namespace FastMlp.Benchmarks;

/// <summary>
/// `mnist-best [recipe]`: the best test accuracy on the mnist10k split of the accuracy test (first 8000
/// rows train, last 2000 test) within 30 s of training on this machine. Prints accuracy and training time.
/// </summary>
internal static class MnistBest
{
    private sealed record Recipe(string Name, int[] Sizes, Func<Optimizer> Optimizer, int Epochs, int Batch, bool Cosine, int Threads);

    private static readonly Recipe[] Recipes =
    [
        new("baseline", [784, 128, 10], () => Optimizer.Sgd(0.1, 0.9), 10, 64, false, 1),
        new("wide-cosine", [784, 512, 10], () => Optimizer.Sgd(0.1, 0.9), 30, 64, true, 2),
        new("deep-cosine", [784, 512, 256, 10], () => Optimizer.Sgd(0.05, 0.9, nesterov: true), 30, 64, true, 2),
        new("wide-adamw", [784, 1024, 10], () => Optimizer.AdamW(1e-3, weightDecay: 0.05), 30, 64, true, 2),
    ];

    public static int Run(string[] args)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "FastMlp.sln"))) root = Path.GetDirectoryName(root)!;
        string data = Path.Combine(root, "src", "FastMlp.Cli", "Datasets");
        Dataset<float> all = IdxReader.LoadImagesAndLabels<float>(
            Path.Combine(data, "mnist10k-images-idx3-ubyte.gz"), Path.Combine(data, "mnist10k-labels-idx1-ubyte.gz"));
        Dataset<float> train = all.Slice(0, 8000), test = all.Slice(8000, 2000);
        foreach (Recipe r in Recipes.Where(r => args.Length == 0 || args.Contains(r.Name)))
        {
            var model = new Mlp<float>(r.Sizes, Activation.ReLU, Activation.Softmax, seed: 1);
            using var trainer = new Trainer<float>(model, new TrainerOptions<float>
            {
                Loss = Loss.SoftmaxCrossEntropy, Optimizer = r.Optimizer(), BatchSize = r.Batch, Epochs = r.Epochs, Seed = 1,
                Schedule = r.Cosine ? LearningRateSchedule.Cosine(r.Epochs) : null, Threads = r.Threads,
            });
            var clock = Stopwatch.StartNew();
            trainer.Fit(train, null);
            double seconds = clock.Elapsed.TotalSeconds;
            EvaluationResult result = trainer.Evaluate(test);
            Console.WriteLine($"{r.Name,-12} {string.Join('-', r.Sizes),-16} {r.Epochs} epochs, {r.Threads} thread(s): test accuracy {result.Accuracy:P2}, training {seconds:F1} s");
        }
        return 0;
    }
}
