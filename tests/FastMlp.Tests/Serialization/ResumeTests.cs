using Xunit;
using static FastMlp.Tests.Serialization.CheckpointTests;

namespace FastMlp.Tests.Serialization;

/// <summary>Resume with other epoch counts, and with data other than the checkpoint's.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastmlp-resume-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrainerOptions<float> Options(string? directory, int epochs)
    {
        TrainerOptions<float> options = AdamOptions(directory, directory is null ? 0 : 1);
        options.Epochs = epochs;
        return options;
    }

    /// <summary>A finished 4-epoch fit whose last checkpoint is after epoch 4.</summary>
    private (Dataset<float> Train, Dataset<float> Validation) Checkpointed()
    {
        (Dataset<float> train, Dataset<float> validation) = Classification();
        Mlp<float> model = new([4, 8, 3], Activation.Tanh, Activation.Softmax, seed: 1);
        using var trainer = new Trainer<float>(model, Options(_directory, 4));
        Assert.Equal(TrainingStatus.Completed, trainer.Fit(train, validation).Status);
        return (train, validation);
    }

    [Fact]
    public void More_epochs_continue_the_fit_to_the_weights_of_an_uninterrupted_run()
    {
        (Dataset<float> train, Dataset<float> validation) = Checkpointed();
        Mlp<float> reference = new([4, 8, 3], Activation.Tanh, Activation.Softmax, seed: 1);
        using (var trainer = new Trainer<float>(reference, Options(null, 9)))
        {
            trainer.Fit(train, validation);
        }
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(_directory, 9));
        TrainingHistory history = resumed.Fit(train, validation);
        Assert.Equal(TrainingStatus.Completed, history.Status);
        Assert.Equal(9, history.EpochCount);
        Assert.Equal(4, history.ResumedEpochs);
        Assert.True(reference.Parameters.SequenceEqual(resumed.Model.Parameters), "extended run differs from the uninterrupted one");
    }

    [Fact]
    public void As_many_epochs_as_completed_returns_at_once_saying_nothing_was_left()
    {
        (Dataset<float> train, Dataset<float> validation) = Checkpointed();
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(_directory, 4));
        TrainingHistory history = resumed.Fit(train, validation);
        Assert.Equal(TrainingStatus.Completed, history.Status);
        Assert.Equal(4, history.EpochCount);
        Assert.Equal(4, history.ResumedEpochs);
        Assert.Equal(4 * 8, resumed.StepCount); // 120 rows / 16 = 8 steps per epoch, all from the checkpoint
        Assert.StartsWith("Completed 4 epochs, all before the checkpoint: nothing left to run", history.Message);
    }

    [Fact]
    public void Fewer_epochs_than_completed_are_refused_naming_Epochs_and_the_checkpoints_epoch()
    {
        Checkpointed();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer<float>.Resume(_directory, Options(_directory, 2)));
        Assert.Equal("options.Epochs", e.ParamName);
        Assert.StartsWith("Epochs must be ≥ 4 (the epochs the checkpoint has already completed; exactly as many: nothing left to run), but was 2.", e.Message);
    }

    [Fact]
    public void Changed_training_values_with_the_same_row_count_are_refused_before_the_model_changes()
    {
        (Dataset<float> train, Dataset<float> validation) = Checkpointed();
        float[] features = train.Features.ToArray();
        features[17] += 0.5f;
        Dataset<float> changed = Dataset<float>.ForClassification(features, train.Labels.Span, train.FeatureCount, 3, ["red", "green", "blue"]);
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(_directory, 9));
        float[] before = resumed.Model.Parameters.ToArray();
        Standardizer<float>? standardizer = resumed.Model.Standardizer;
        var e = Assert.Throws<ArgumentException>(() => resumed.Fit(changed, validation));
        Assert.Equal("train", e.ParamName);
        Assert.StartsWith("The training data differs from the checkpoint's: same 120 rows, but checksum ", e.Message);
        Assert.True(before.AsSpan().SequenceEqual(resumed.Model.Parameters), "the model changed");
        Assert.Same(standardizer, resumed.Model.Standardizer);
        // The same trainer then resumes with the right data.
        Assert.Equal(9, resumed.Fit(train, validation).EpochCount);
    }

    [Fact]
    public void Changed_labels_class_names_or_row_count_are_refused()
    {
        (Dataset<float> train, Dataset<float> validation) = Checkpointed();
        int[] labels = train.Labels.ToArray();
        labels[3] = (labels[3] + 1) % 3;
        Dataset<float> relabelled = Dataset<float>.ForClassification(train.Features.Span, labels, 4, 3, ["red", "green", "blue"]);
        Dataset<float> renamed = Dataset<float>.ForClassification(train.Features.Span, train.Labels.Span, 4, 3, ["red", "green", "teal"]);
        Dataset<float> shorter = train.Slice(0, 100);
        foreach (Dataset<float> other in new[] { relabelled, renamed })
        {
            using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(_directory, 9));
            Assert.Contains("same 120 rows, but checksum", Assert.Throws<ArgumentException>(() => resumed.Fit(other, validation)).Message);
        }
        using Trainer<float> again = Trainer<float>.Resume(_directory, Options(_directory, 9));
        var e = Assert.Throws<ArgumentException>(() => again.Fit(shorter, validation));
        Assert.Equal("The training data differs from the checkpoint's: 100 rows, but the checkpoint was trained on 120. (Parameter 'train')", e.Message);
    }

    [Fact]
    public void Changed_validation_data_is_refused_naming_validation()
    {
        (Dataset<float> train, Dataset<float> validation) = Checkpointed();
        using Trainer<float> resumed = Trainer<float>.Resume(_directory, Options(_directory, 9));
        var e = Assert.Throws<ArgumentException>(() => resumed.Fit(train, train.Slice(0, 30)));
        Assert.Equal("validation", e.ParamName);
        Assert.StartsWith("The validation data differs from the checkpoint's: same 30 rows, but checksum", e.Message);
        Assert.Equal("validation", Assert.Throws<ArgumentException>(() => resumed.Fit(train, null)).ParamName);
    }
}
