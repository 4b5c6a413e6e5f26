using FastMlp.Serialization;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>A file whose meaning an older reader would miss (a decision threshold, a column schema) says format 3, so that reader refuses it.</summary>
public sealed class FormatVersionTests
{
    private static string VersionOf(Mlp<float> model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        return SafeTensors.Read(stream, "model").Metadata["format_version"];
    }

    [Fact]
    public void A_threshold_other_than_one_half_makes_the_file_format_3()
    {
        var model = new Mlp<float>([2, 3, 1], Activation.Tanh, Activation.Sigmoid, seed: 1);
        string plain = VersionOf(model);
        Assert.NotEqual("3", plain);
        model.DecisionThreshold = 0.3;
        Assert.Equal("3", VersionOf(model));
        model.DecisionThreshold = 0.5;
        Assert.Equal(plain, VersionOf(model));
    }
}
