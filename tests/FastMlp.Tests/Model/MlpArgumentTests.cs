using Xunit;

namespace FastMlp.Tests.Model;

/// <summary>Every argument check of <see cref="Mlp{T}"/> at its boundary, with the parameter and the values in the message.</summary>
public sealed class MlpArgumentTests
{
    [Fact]
    public void Layer_sizes_need_two_entries_each_at_least_one()
    {
        var few = Assert.Throws<ArgumentException>(() => new Mlp<float>([3], Activation.ReLU, Activation.Identity, 1));
        Assert.Equal("layerSizes", few.ParamName);
        Assert.Contains("at least two layer sizes (inputs and outputs), but 1 were given", few.Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<float>([3, 0, 2], Activation.ReLU, Activation.Identity, 1));
        Assert.Equal("layerSizes", zero.ParamName);
        Assert.Contains("Layer size 1 must be ≥ 1, but was 0", zero.Message);
        Assert.Contains("Layer size 0 must be ≥ 1, but was -1", Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<float>([-1, 2], Activation.ReLU, Activation.Identity, 1)).Message);
        Assert.Equal(1 + 1, new Mlp<float>([1, 1], Activation.ReLU, Activation.Identity, 1).ParameterCount);
    }

    [Fact]
    public void Parameter_counts_are_exact_up_to_the_array_limit()
    {
        // 46340·46340 + 46340 = 2,147,441,940 ≤ Array.MaxLength (2,147,483,591); one more input passes it.
        Assert.Equal(46340L * 46340 + 46340, Mlp<float>.CountParameters([46340, 46340]));
        Assert.Equal((46340L * 46340 + 46340) * 4 + 64, Mlp<float>.EstimateMemoryBytes([46340, 46340]));
        Assert.Equal((46340L * 46340 + 46340) * 8 + 64, Mlp<double>.EstimateMemoryBytes([46340, 46340]));
        Assert.Equal(Array.MaxLength, Mlp<float>.CountParameters([Array.MaxLength - 1, 1]));
        var e = Assert.Throws<ArgumentException>(() => Mlp<float>.CountParameters([Array.MaxLength, 1]));
        Assert.Equal("layerSizes", e.ParamName);
        Assert.Contains($"layerSizes [{Array.MaxLength}, 1] give 2,147,483,592 weights and biases", e.Message);
        Assert.Equal(3 * 4 + 4 + 4 * 5 + 5 + 5 * 2 + 2, Mlp<float>.CountParameters([3, 4, 5, 2]));
    }

    [Fact]
    public void Memory_is_checked_only_for_large_networks_and_only_past_what_is_available()
    {
        int[] small = [10, 10];
        int[] large = [4096, 4097];   // 16,785,409 floats: 67,141,636 bytes, just over the 64 MiB threshold
        long bytes = Mlp<float>.CountParameters(large) * 4;
        Assert.True(bytes > 64L << 20);
        try
        {
            SystemMemory.t_availableForTests = 0;
            Assert.Equal(110, new Mlp<float>(small, Activation.ReLU, Activation.Identity, 1).ParameterCount);
            SystemMemory.t_availableForTests = bytes - 1;
            var e = Assert.Throws<InsufficientMemoryException>(() => new Mlp<float>(large, Activation.ReLU, Activation.Identity, 1));
            Assert.Contains("layerSizes [4096, 4097] need 67.1 MB (67,141,636 bytes) for the parameters alone, but only 67.1 MB (67,141,635 bytes)", e.Message);
            SystemMemory.t_availableForTests = bytes;
            Assert.Equal(bytes / 4, new Mlp<float>(large, Activation.ReLU, Activation.Identity, 1, Initializer.GlorotNormal).ParameterCount);
        }
        finally
        {
            SystemMemory.t_availableForTests = null;
        }
    }

    [Fact]
    public void Activations_and_initializers_must_be_defined()
    {
        Assert.Equal("hidden", Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<float>([2, 2], (Activation)6, Activation.Identity, 1)).ParamName);
        var output = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<float>([2, 2], Activation.ReLU, (Activation)(-1), 1));
        Assert.Equal("output", output.ParamName);
        Assert.StartsWith("-1 is not an Activation value; valid: Identity (0), Sigmoid (1), Tanh (2), ReLU (3), LeakyReLU (4), Softmax (5).", output.Message);
        var init = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<float>([2, 2], Activation.ReLU, Activation.Identity, 1, (Initializer)5));
        Assert.Equal("initializer", init.ParamName);
        Assert.StartsWith("5 is not an Initializer value; valid: Default (0), GlorotUniform (1), GlorotNormal (2), HeUniform (3), HeNormal (4).", init.Message);
        Assert.Equal(Activation.Softmax, new Mlp<float>([2, 2], Activation.Softmax, Activation.Softmax, 1).HiddenActivation);
    }

    [Fact]
    public void Layer_indices_are_checked_at_both_ends()
    {
        var model = new Mlp<float>([3, 4, 2], Activation.ReLU, Activation.Sigmoid, 1);
        foreach (int bad in new[] { -1, 2 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.GetWeights(bad));
            Assert.Equal("layer", e.ParamName);
            Assert.Contains($"Layer must be in [0, 1], but was {bad}", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => model.GetBiases(bad));
            Assert.Throws<ArgumentOutOfRangeException>(() => model.SetWeights(bad, new float[12]));
            Assert.Throws<ArgumentOutOfRangeException>(() => model.SetBiases(bad, new float[4]));
            Assert.Throws<ArgumentOutOfRangeException>(() => model.ActivationOf(bad));
        }
        Assert.Equal(8, model.GetWeights(1).Length);
        Assert.Equal(2, model.GetBiases(1).Length);
    }

    [Fact]
    public void Weights_and_biases_must_have_the_layers_length_and_be_finite()
    {
        var model = new Mlp<double>([3, 4, 2], Activation.ReLU, Activation.Sigmoid, 1);
        var w = Assert.Throws<ArgumentException>(() => model.SetWeights(1, new double[9]));
        Assert.Equal("weights", w.ParamName);
        Assert.Contains("Layer 1 has 4×2 = 8 weights, but 9 were given", w.Message);
        var b = Assert.Throws<ArgumentException>(() => model.SetBiases(0, new double[3]));
        Assert.Equal("biases", b.ParamName);
        Assert.Contains("Layer 0 has 4 biases, but 3 were given", b.Message);
        var nan = Assert.Throws<ArgumentException>(() => model.SetWeights(1, [0, 0, 0, 0, 0, 0, 0, double.NaN]));
        Assert.Contains("weights at row 3, column 1 is NaN; values must be finite", nan.Message);
        Assert.Contains("biases[0] is", Assert.Throws<ArgumentException>(() => model.SetBiases(1, [double.NegativeInfinity, 0])).Message);
        double[] before = model.GetWeights(1).ToArray();
        Assert.Equal(before, model.GetWeights(1).ToArray());
        model.SetBiases(1, [1.5, -2]);
        Assert.Equal([1.5, -2], model.GetBiases(1).ToArray());
        Assert.Equal(0, model.GetBiases(0)[0]);
    }

    [Fact]
    public void Parameters_are_laid_out_layer_after_layer_weights_then_biases()
    {
        var model = new Mlp<float>([2, 3, 1], Activation.ReLU, Activation.Identity, 1);
        model.SetWeights(0, [1, 2, 3, 4, 5, 6]);
        model.SetBiases(0, [7, 8, 9]);
        model.SetWeights(1, [10, 11, 12]);
        model.SetBiases(1, [13]);
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (float)i), model.Parameters.ToArray());
        Assert.Equal(0, model.WeightOffset(0));
        Assert.Equal(9, model.WeightOffset(1));
        Assert.Equal([0, 3, 4], new[] { model.ActivationOffset(0), model.ActivationOffset(1), model.ActivationOffset(2) });
        Assert.Equal(4, model.ActivationWidth);
        Assert.Equal([2, 3, 1], model.LayerSizes.ToArray());
        Assert.Equal(2, model.InputCount);
        Assert.Equal(1, model.OutputCount);
        unsafe
        {
            // The GEMM streams weights in whole 64-byte loads.
            fixed (float* p = model.Parameters)
            {
                Assert.Equal(0, (long)p % 64);
            }
        }
    }

    [Fact]
    public void Names_and_standardizer_must_fit_the_network()
    {
        var model = new Mlp<float>([3, 2], Activation.ReLU, Activation.Softmax, 1);
        var classes = Assert.Throws<ArgumentException>(() => model.ClassNames = ["a", "b", "c"]);
        Assert.Contains("3 class names were given, but the network has 2 outputs", classes.Message);
        Assert.Contains("Class name 1 is null", Assert.Throws<ArgumentException>(() => model.ClassNames = ["a", null!]).Message);
        var features = Assert.Throws<ArgumentException>(() => model.FeatureNames = ["x", "y"]);
        Assert.Contains("2 feature names were given, but the network has 3 inputs", features.Message);
        Assert.Contains("Feature name 2 is null", Assert.Throws<ArgumentException>(() => model.FeatureNames = ["x", "y", null!]).Message);
        var standardizer = Assert.Throws<ArgumentException>(() => model.Standardizer = new Standardizer<float>([0f, 0], [1f, 1]));
        Assert.Contains("The standardizer has 2 features but the network has 3 inputs", standardizer.Message);

        // The setters copy: changing the caller's array later does not rename the model.
        string[] names = ["a", "b"];
        model.ClassNames = names;
        names[0] = "changed";
        Assert.Equal(["a", "b"], model.ClassNames);
        string[] inputs = ["x", "y", "z"];
        model.FeatureNames = inputs;
        inputs[2] = "changed";
        Assert.Equal(["x", "y", "z"], model.FeatureNames);
        model.ClassNames = null;
        Assert.Null(model.ClassNames);

        var binary = new Mlp<float>([3, 1], Activation.ReLU, Activation.Sigmoid, 1) { ClassNames = ["no", "yes"] };
        Assert.Equal(["no", "yes"], binary.ClassNames);
        binary.ClassNames = ["only"];    // one name per output is also accepted
        Assert.Equal(["only"], binary.ClassNames);
        Assert.Throws<ArgumentException>(() => binary.ClassNames = ["a", "b", "c"]);
        Assert.Throws<ArgumentException>(() => model.ClassNames = ["only"]);
    }

    [Fact]
    public void The_loss_must_pair_with_the_output_activation()
    {
        var model = new Mlp<float>([3, 2], Activation.ReLU, Activation.Identity, 1);
        Assert.Throws<ArgumentException>(() => model.Loss = Loss.SoftmaxCrossEntropy);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Loss = (Loss)42);
        model.Loss = Loss.MeanAbsoluteError;
        Assert.Equal(Loss.MeanAbsoluteError, model.Loss);
        model.Loss = null;
        Assert.Null(model.Loss);
    }

    [Fact]
    public void A_clone_copies_parameters_and_description_and_is_independent()
    {
        var model = new Mlp<float>([3, 2], Activation.Tanh, Activation.Softmax, 1)
        {
            Loss = Loss.SoftmaxCrossEntropy,
            ClassNames = ["a", "b"],
            FeatureNames = ["x", "y", "z"],
            TargetName = "t",
            Standardizer = new Standardizer<float>([1f, 2, 3], [1f, 1, 1]),
        };
        Mlp<float> copy = model.Clone();
        Assert.Equal(model.Parameters.ToArray(), copy.Parameters.ToArray());
        Assert.Equal(Activation.Tanh, copy.HiddenActivation);
        Assert.Equal(Activation.Softmax, copy.OutputActivation);
        Assert.Equal(Loss.SoftmaxCrossEntropy, copy.Loss);
        Assert.Equal(["a", "b"], copy.ClassNames);
        Assert.Equal(["x", "y", "z"], copy.FeatureNames);
        Assert.Equal("t", copy.TargetName);
        Assert.Same(model.Standardizer, copy.Standardizer);
        copy.SetBiases(0, [5, 5]);
        Assert.Equal([0f, 0], model.GetBiases(0).ToArray());
    }
}
