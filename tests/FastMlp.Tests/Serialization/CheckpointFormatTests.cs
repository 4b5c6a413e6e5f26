using System.Text;
using FastMlp.Serialization;
using Xunit;
using static FastMlp.Tests.Serialization.CheckpointTests;

namespace FastMlp.Tests.Serialization;

/// <summary>The checkpoint file names every field; format-1 files (positional counters) still resume.</summary>
public sealed class CheckpointFormatTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastmlp-ckptfmt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string CheckpointPath => Path.Combine(_directory, Trainer<float>.CheckpointFileName);

    private static TrainerOptions<float> Options(string? directory, int epochs)
    {
        TrainerOptions<float> options = AdamOptions(directory, directory is null ? 0 : 1);
        options.Epochs = epochs;
        return options;
    }

    private static Mlp<float> Uninterrupted(Dataset<float> train, Dataset<float> validation, int epochs)
    {
        Mlp<float> reference = new([4, 8, 3], Activation.Tanh, Activation.Softmax, seed: 1);
        using var trainer = new Trainer<float>(reference, Options(null, epochs));
        trainer.Fit(train, validation);
        return reference;
    }

    private void Checkpoint(int epochs)
    {
        (Dataset<float> train, Dataset<float> validation) = Classification();
        using var trainer = new Trainer<float>(new Mlp<float>([4, 8, 3], Activation.Tanh, Activation.Softmax, seed: 1), Options(_directory, epochs));
        trainer.Fit(train, validation);
    }

    [Fact]
    public void A_format_1_checkpoint_resumes_to_the_weights_of_an_uninterrupted_run()
    {
        // Written by the format-1 writer: the same 4-epoch fit as Checkpoint(4) (Adam, plateau schedule, early stopping).
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "tests", "FastMlp.Tests", "Serialization", "Fixtures", "checkpoint-format1.safetensors"), CheckpointPath);
        (Dataset<float> train, Dataset<float> validation) = Classification();
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(_directory, 9));
        TrainingHistory history = resumed.Fit(train, validation);
        Assert.Equal(4, history.ResumedEpochs);
        Assert.Equal(9, history.EpochCount);
        Assert.True(Uninterrupted(train, validation, 9).Parameters.SequenceEqual(resumed.Model.Parameters), "resumed format-1 run differs from the uninterrupted one");
        // The checkpoint it wrote on the way is format 2 and resumes too.
        using Trainer<float> again = Trainer<float>.Resume(_directory, Options(_directory, 9));
        Assert.Equal(9 * 8, again.StepCount);
    }

    [Fact]
    public void Format_2_stores_state_as_named_tensors_and_options_as_named_metadata()
    {
        Checkpoint(3);
        SafeTensors file;
        using (FileStream stream = File.OpenRead(CheckpointPath))
        {
            file = SafeTensors.Read(stream, CheckpointPath);
        }
        Assert.Equal("2", file.Metadata["trainer.format_version"]);
        Assert.Equal("42", file.Metadata["trainer.options.seed"]);
        Assert.Equal("16", file.Metadata["trainer.options.batch_size"]);
        Assert.Equal("ReduceOnPlateau(factor=0.5, patience=1, threshold=0.0001, cooldown=0, minRate=0)", file.Metadata["trainer.options.schedule"]);
        Assert.Equal("patience=50, minDelta=0, restoreBestWeights=True", file.Metadata["trainer.options.early_stopping"]);
        var epochs = new long[1];
        file.CopyTo<long>(file.Tensors["trainer.state.epochs_completed"], epochs);
        Assert.Equal(3, epochs[0]);
        var updates = new long[1];
        file.CopyTo<long>(file.Tensors["trainer.state.updates"], updates);
        Assert.Equal(3 * 8, updates[0]);
        Assert.DoesNotContain("trainer.counters", file.Tensors.Keys);
    }

    [Fact]
    public void Resume_names_every_setting_that_differs()
    {
        Checkpoint(2);
        TrainerOptions<float> other = Options(_directory, 4);
        other.Seed = 43;
        other.BatchSize = 8;
        other.Schedule = LearningRateSchedule.ReduceOnPlateau(factor: 0.5, patience: 2);
        var e = Assert.Throws<ArgumentException>(() => Trainer<float>.Resume(_directory, other));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("batch_size: checkpoint 16, now 8", e.Message);
        Assert.Contains("seed: checkpoint 42, now 43", e.Message);
        Assert.Contains("schedule: checkpoint ReduceOnPlateau(factor=0.5, patience=1,", e.Message);
        Assert.DoesNotContain("learning_rate", e.Message);
    }

    [Theory]
    [InlineData("trainer.state.updates", "trainer.state.updatez", "lacks tensor 'trainer.state.updates'")]
    [InlineData("\"trainer.format_version\":\"2\"", "\"trainer.format_version\":\"7\"", "this FastMlp reads checkpoint formats 1 and 2")]
    [InlineData("trainer.history.metric", "trainer.history.metrix", "lacks tensor 'trainer.history.metric'")]
    public void A_damaged_checkpoint_is_refused_naming_the_part(string original, string damaged, string expected)
    {
        Checkpoint(2);
        byte[] bytes = File.ReadAllBytes(CheckpointPath);
        string text = Encoding.Latin1.GetString(bytes);
        Assert.Contains(original, text);
        File.WriteAllBytes(CheckpointPath, Encoding.Latin1.GetBytes(text.Replace(original, damaged)));
        var e = Assert.Throws<ModelFormatException>(() => Trainer<float>.Resume(_directory, Options(_directory, 4)));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(CheckpointPath, e.Message);
    }

    [Fact]
    public void A_negative_epoch_count_is_refused()
    {
        Checkpoint(2);
        byte[] bytes = File.ReadAllBytes(CheckpointPath);
        SafeTensors file;
        using (var stream = new MemoryStream(bytes))
        {
            file = SafeTensors.Read(stream, "x");
        }
        TensorEntry entry = file.Tensors["trainer.state.epochs_completed"];
        long headerEnd = 8 + BitConverter.ToInt64(bytes, 0);
        BitConverter.GetBytes(-3L).CopyTo(bytes, headerEnd + entry.Begin);
        // Keep the file's checksum honest, so the count itself is what gets refused.
        File.WriteAllBytes(CheckpointPath, Rehash(bytes));
        var e = Assert.Throws<ModelFormatException>(() => Trainer<float>.Resume(_directory, Options(_directory, 4)));
        Assert.Contains("'trainer.state.epochs_completed' is -3, not a count", e.Message);
    }

    internal static byte[] Rehash(byte[] bytes)
    {
        long headerLength = BitConverter.ToInt64(bytes, 0);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan((int)(8 + headerLength))));
        int at = header.IndexOf("\"data_sha256\":\"", StringComparison.Ordinal) + 15;
        header = header[..at] + hash + header[(at + 64)..];
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        Assert.Equal(headerLength, headerBytes.Length);
        return [.. bytes.AsSpan(0, 8), .. headerBytes, .. bytes.AsSpan((int)(8 + headerLength))];
    }
}
