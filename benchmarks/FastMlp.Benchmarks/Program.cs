using FastMlp.Benchmarks;
using FastMlp.Benchmarks.CommandLine;

BenchmarkTool[] tools =
[
    new("quick-gemm", "FastMlp vs OpenBLAS GFLOP/s, interleaved, per shape: quick-gemm [NN:64x128x784 TN:784x128x64 ...] "
        + "(default: the suite's shapes); a tuning aid (Stopwatch), not figures of record.", true, QuickCheck.Run),
    new("quick-threads", "One GEMM on 1 and 2 threads: quick-threads M N K.", true, QuickCheck.RunThreads),
    new("quick-train", "Best-of-rounds time of the train-step, epoch and predict cases.", false, _ => QuickCheck.RunTraining()),
    new("profile-step", "Where one 784-128-10 batch-64 training step spends its time.", false, _ => StepProfile.Run()),
    new("quick-int8", "The int8 kernel alone on every supported int8 path, and Predict float vs int8: quick-int8 [M N K ...] "
        + "(default 64 128 784, 1 128 784, 64 256 784).",
        true, QuickInt8.Run),
    new("int8-hash", "A hash of Int8 predictions that must be the same on every CPU path (x64 and arm64).", false, _ => QuickInt8.Hash()),
    new("mnist-best", "Test accuracy and training time of the MNIST recipes on the mnist10k split (8000 train, 2000 test); "
        + "mnist-best [recipe ...] runs only the named ones.", true, MnistBest.Run),
    new("publish-results", "Copies BenchmarkDotNet's results into perf-results/<cpu>/ and regenerates the README's tables: "
        + "publish-results [artifactsDir].", true, ResultsPublisher.Run),
    new("compare", "Compares two result sets (file or folder): compare <base> <head> [--threshold 5%] [--alpha 0.05] "
        + "[--out table.md]; exit 0 no regression, 1 regression, 2 bad input.", true, CompareCommand.Run),
];
return BenchmarkCommandLine.Run(args, tools, BenchmarkSuite.Run, BenchmarkSuite.RunDeploy, Console.Out, Console.Error);
