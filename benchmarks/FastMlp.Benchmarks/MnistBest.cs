using System.Diagnostics;

namespace FastMlp.Benchmarks;

/// <summary>
/// `mnist-best [recipe]`: the best test accuracy on the mnist10k split of the accuracy test (first 8000
/// rows train, last 2000 test) within 30 s of training on this machine. Prints accuracy and training time.
/// </summary>
internal static class MnistBest
{
    private sealed record Recipe(string Name, int[] Sizes, Func<Optimizer> Optimizer, int Epochs, int Batch, bool Cosine, int Threads,
                                 bool Standardize = false, int Ensemble = 1);

    private static readonly Recipe[] Recipes =
    [
        new("baseline", [784, 128, 10], () => Optimizer.Sgd(0.1, 0.9), 10, 64, false, 1),
        new("wide-cosine", [784, 512, 10], () => Optimizer.Sgd(0.1, 0.9), 30, 64, true, 2),
        new("deep-cosine", [784, 512, 256, 10], () => Optimizer.Sgd(0.05, 0.9, nesterov: true), 30, 64, true, 2),
        new("wide-adamw", [784, 1024, 10], () => Optimizer.AdamW(1e-3, weightDecay: 0.05), 30, 64, true, 2),
        new("wide-decay", [784, 1024, 10], () => Optimizer.Sgd(0.05, 0.9, nesterov: true, weightDecay: 5e-4), 40, 64, true, 2),
        new("wide-std", [784, 1024, 10], () => Optimizer.Sgd(0.02, 0.9, nesterov: true, weightDecay: 5e-4), 40, 64, true, 2, Standardize: true),
        new("ensemble-sgd", [784, 1024, 10], () => Optimizer.Sgd(0.05, 0.9, nesterov: true, weightDecay: 5e-4), 40, 64, true, 2, Ensemble: 4),
    ];

    public static int Run(string[] args)
    {
        string data = Path.Combine(ResultsPublisher.FindRepoRoot(), "src", "FastMlp.Cli", "Datasets");
        Dataset<float> all = IdxReader.LoadImagesAndLabels<float>(
            Path.Combine(data, "mnist10k-images-idx3-ubyte.gz"), Path.Combine(data, "mnist10k-labels-idx1-ubyte.gz"));
        Dataset<float> train = all.Slice(0, 8000), test = all.Slice(8000, 2000);
        foreach (Recipe r in Recipes.Where(r => args.Length == 0 || args.Contains(r.Name)))
        {
            // An ensemble averages the predicted probabilities of models trained from different seeds.
            var sums = new float[test.Rows * 10];
            var probabilities = new float[test.Rows * 10];
            var clock = Stopwatch.StartNew();
            for (int member = 0; member < r.Ensemble; member++)
            {
                var model = new Mlp<float>(r.Sizes, Activation.ReLU, Activation.Softmax, seed: 1 + member);
                using var trainer = new Trainer<float>(model, new TrainerOptions<float>
                {
                    Loss = Loss.SoftmaxCrossEntropy,
                    Optimizer = r.Optimizer(),
                    BatchSize = r.Batch,
                    Epochs = r.Epochs,
                    Seed = 1 + member,
                    Schedule = r.Cosine ? LearningRateSchedule.Cosine(r.Epochs) : null,
                    Threads = r.Threads,
                    Standardize = r.Standardize,
                });
                trainer.Fit(train, null);
                model.Freeze().Predict(test.Features.Span, probabilities, test.Rows);
                for (int i = 0; i < sums.Length; i++) sums[i] += probabilities[i];
            }
            double seconds = clock.Elapsed.TotalSeconds;
            int correct = 0;
            ReadOnlySpan<int> labels = test.Labels.Span;
            for (int row = 0; row < test.Rows; row++)
            {
                if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(sums.AsSpan(row * 10, 10)) == labels[row]) correct++;
            }
            Console.WriteLine($"{r.Name,-12} {string.Join('-', r.Sizes),-16} {r.Epochs} epochs{(r.Ensemble > 1 ? $" × {r.Ensemble} models" : "")}, {r.Threads} thread(s): " +
                              $"test accuracy {(double)correct / test.Rows:P2}, training + prediction {seconds:F1} s");
        }
        return 0;
    }
}
