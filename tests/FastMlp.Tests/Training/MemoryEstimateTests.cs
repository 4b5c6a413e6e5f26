using Xunit;

namespace FastMlp.Tests.Training;

/// <summary>The memory estimate matches what the trainer lays out; networks and trainers larger than the memory available are refused before allocating.</summary>
public class MemoryEstimateTests
{
    public static TheoryData<string> Optimizers => ["adam+early stopping", "sgd", "sgd momentum", "sgd+dropout"];

    private static TrainerOptions<float> Options(string kind) => new()
    {
        Loss = Loss.SoftmaxCrossEntropy,
        BatchSize = 32,
        Epochs = 2,
        Optimizer = kind.StartsWith("adam", StringComparison.Ordinal) ? Optimizer.Adam() : Optimizer.Sgd(0.1, momentum: kind == "sgd momentum" ? 0.9 : 0),
        EarlyStopping = kind.EndsWith("early stopping", StringComparison.Ordinal) ? new EarlyStopping { Patience = 5 } : null,
        Dropout = kind.EndsWith("dropout", StringComparison.Ordinal) ? 0.2 : 0,
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public unsafe void The_estimate_is_the_model_plus_the_arenas_the_trainer_lays_out(string kind)
    {
        int[] sizes = [20, 16, 4];
        var random = new Random(1);
        float[] x = [.. Enumerable.Range(0, 500 * 20).Select(_ => (float)random.NextDouble())];
        int[] labels = [.. Enumerable.Range(0, 500).Select(_ => random.Next(4))];
        Dataset<float> data = Dataset<float>.ForClassification(x, labels, 20, 4);
        TrainerOptions<float> options = Options(kind);
        var model = new Mlp<float>(sizes, Activation.Tanh, Activation.Softmax, 1);
        using var trainer = new Trainer<float>(model, options);
        long constructed = trainer.ArenaLayoutBytes;
        Assert.Equal(Trainer<float>.ArenaBytes(sizes, model.ParameterCount, options, 32, 0), constructed);
        trainer.Fit(data, null);
        trainer.Evaluate(data);
        long fitted = trainer.ArenaLayoutBytes;
        Assert.Equal(Trainer<float>.ArenaBytes(sizes, model.ParameterCount, options, 256, 500), fitted);
        long workspace = 384 * 512 * sizeof(float);
        Assert.Equal(Mlp<float>.EstimateMemoryBytes(sizes) + constructed + fitted + workspace, Trainer<float>.EstimateMemoryBytes(sizes, options, 500));
        Assert.Equal((model.ParameterCount * 4) + 64, Mlp<float>.EstimateMemoryBytes(sizes));
    }

    [Fact]
    public void The_estimate_grows_with_optimizer_state_and_early_stopping()
    {
        int[] sizes = [784, 128, 10];
        long sgd = Trainer<float>.EstimateMemoryBytes(sizes, Options("sgd"));
        long adam = Trainer<float>.EstimateMemoryBytes(sizes, Options("adam+early stopping"));
        int parameters = (784 * 128) + 128 + (128 * 10) + 10;
        // Adam's two state vectors and the best-weights snapshot, in both arenas.
        Assert.InRange(adam - sgd, 2 * 3 * parameters * 4, (2 * 3 * parameters * 4) + (6 * 64));
        Assert.True(Trainer<double>.EstimateMemoryBytes(sizes, new TrainerOptions<double>()) > Trainer<float>.EstimateMemoryBytes(sizes, new TrainerOptions<float>()));
    }

    [Fact]
    public void Sizes_whose_parameter_count_overflows_an_int_are_refused_naming_layerSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Mlp<float>([65536, 65536], Activation.ReLU, Activation.Identity, 1));
        Assert.Equal("layerSizes", e.ParamName);
        Assert.StartsWith("layerSizes [65536, 65536] give 4,295,032,832 weights and biases; FastMlp holds them in one array of at most", e.Message);
        Assert.Equal("layerSizes", Assert.Throws<ArgumentException>(() => Trainer<float>.EstimateMemoryBytes([10, 65536, 65536, 3], new TrainerOptions<float>())).ParamName);
        Assert.Equal("layerSizes", Assert.Throws<ArgumentException>(() => Mlp<double>.EstimateMemoryBytes([int.MaxValue, 2])).ParamName);
    }

    [Fact]
    public void A_network_larger_than_the_memory_available_is_refused_before_allocating()
    {
        SystemMemory.t_availableForTests = 1_000_000_000;
        try
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<InsufficientMemoryException>(() => new Mlp<float>([784, 20000, 20000, 10], Activation.ReLU, Activation.Softmax, 1));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the parameters were allocated before the refusal");
            Assert.StartsWith("layerSizes [784, 20000, 20000, 10] need 1.7 GB (1,663,680,040 bytes) for the parameters alone, but only 1.0 GB (1,000,000,000 bytes) of memory is available.", e.Message);
        }
        finally
        {
            SystemMemory.t_availableForTests = null;
        }
    }

    [Fact]
    public void A_trainer_whose_buffers_exceed_the_memory_available_is_refused_naming_layerSizes_and_the_bytes()
    {
        var model = new Mlp<float>([784, 3000, 3000, 10], Activation.ReLU, Activation.Softmax, 1);
        SystemMemory.t_availableForTests = 200_000_000;
        try
        {
            var e = Assert.Throws<InsufficientMemoryException>(() => new Trainer<float>(model, new TrainerOptions<float> { Loss = Loss.SoftmaxCrossEntropy }));
            Assert.StartsWith("Training layerSizes [784, 3000, 3000, 10] with Adam", e.Message);
            Assert.Contains("besides the model (gradients, optimizer state, weight snapshots, activations), but only 200.0 MB (200,000,000 bytes) of memory is available", e.Message);
        }
        finally
        {
            SystemMemory.t_availableForTests = null;
        }
        // With the real figure (this machine has far more than 0.5 GB free), the same trainer is built.
        using var trainer = new Trainer<float>(model, new TrainerOptions<float> { Loss = Loss.SoftmaxCrossEntropy });
    }
}
