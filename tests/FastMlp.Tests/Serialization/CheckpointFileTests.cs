using System.Text;
using FastMlp.Serialization;
using Xunit;

namespace FastMlp.Tests.Serialization;

/// <summary>
/// The checkpoint file itself: every field written comes back under its own name, and every impossible value
/// (a negative count, a learning rate that is not finite and positive, a best epoch outside the history, a tensor of
/// the wrong type or length) is refused naming the tensor.
/// </summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastmlp-ckptfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Path1 => Path.Combine(_directory, "checkpoint.safetensors");

    private static readonly Mlp<float> Model = new([3, 4, 2], Activation.Tanh, Activation.Softmax, seed: 5);

    private static TrainingHistory History(int epochs)
    {
        var history = new TrainingHistory(epochs) { BestEpoch = epochs - 1 };
        for (int e = 0; e < epochs; e++)
        {
            history.Add(1.0 + e, 2.0 + e, 3.0 + e, 0.1 * (e + 1), 10.0 + e);
        }
        return history;
    }

    private static float[] Vector(float start) => [.. Enumerable.Range(0, Model.ParameterCount).Select(i => start + i)];

    private void Write(FitState state, double learningRate = 0.025, TrainingHistory? history = null, bool full = true,
                       ReadOnlySpan<float> first = default, DataIdentity? validation = null)
    {
        TrainingFingerprint options = TrainingFingerprint.Of(new TrainerOptions<float> { Seed = 9, BatchSize = 7 });
        Span<long> dropout = [11, -12, long.MaxValue, long.MinValue];
        CheckpointFile<float>.Write(Path1, Model, new CheckpointContents<float>
        {
            Options = options,
            State = state,
            Updates = 1234,
            LearningRate = learningRate,
            Train = new DataIdentity(120, 0xFEDCBA9876543210UL),
            Validation = full ? validation ?? new DataIdentity(30, 0x0123456789ABCDEFUL) : null,
            History = history ?? History(state.CompletedEpochs),
            OptimizerFirst = full ? (first.IsEmpty ? Vector(100) : first) : default,
            OptimizerSecond = full ? Vector(200) : default,
            BestParameters = full ? Vector(300) : default,
            DropoutState = full ? dropout : default,
        });
    }

    private static FitState State(int epochs = 3) => new()
    {
        CompletedEpochs = epochs,
        BestLoss = 0.75,
        EpochsSinceBest = 2,
        FirstEpochLoss = 1.5,
        FirstStepLoss = 2.25,
        SamplesSeen = 360,
    };

    [Fact]
    public void Every_field_written_is_read_back_under_its_own_name()
    {
        Write(State());
        Checkpoint<float> read = CheckpointFile<float>.Read(Path1);

        Assert.Equal(Path1, read.Source);
        Assert.Equal(Model.Parameters.ToArray(), read.Model.Parameters.ToArray());
        Assert.Null(read.LegacyOptions);
        Assert.Empty(TrainingFingerprint.Of(new TrainerOptions<float> { Seed = 9, BatchSize = 7 }).DifferencesFrom(read.Options!));
        Assert.Equal(3, read.State.CompletedEpochs);
        Assert.Equal(0.75, read.State.BestLoss);
        Assert.Equal(2, read.State.EpochsSinceBest);
        Assert.Equal(1.5, read.State.FirstEpochLoss);
        Assert.Equal(2.25, read.State.FirstStepLoss);
        Assert.Equal(360, read.State.SamplesSeen);
        Assert.Equal(1234, read.Updates);
        Assert.Equal(0.025, read.LearningRate);
        Assert.Equal(new DataIdentity(120, 0xFEDCBA9876543210UL), read.Train);
        Assert.Equal(new DataIdentity(30, 0x0123456789ABCDEFUL), read.Validation);
        Assert.Equal([1.0, 2, 3], read.History.TrainLoss);
        Assert.Equal([2.0, 3, 4], read.History.ValidationLoss);
        Assert.Equal([3.0, 4, 5], read.History.Metric);
        Assert.Equal([0.1, 0.2, 0.1 * 3], read.History.LearningRate);
        Assert.Equal([10.0, 11, 12], read.History.Seconds);
        Assert.Equal(2, read.History.BestEpoch);
        Assert.Equal(Vector(100), read.OptimizerFirst!);
        Assert.Equal(Vector(200), read.OptimizerSecond!);
        Assert.Equal(Vector(300), read.BestParameters!);
        Assert.Equal([11L, -12, long.MaxValue, long.MinValue], read.DropoutState!);
    }

    [Fact]
    public void Without_validation_optimizer_state_early_stopping_or_dropout_those_parts_read_back_as_absent()
    {
        // History capacity beyond the completed epochs: only the completed ones are written.
        TrainingHistory history = History(2);
        history.Add(99, 99, 99, 99, 99);
        Write(State(2), history: history, full: false);
        Checkpoint<float> read = CheckpointFile<float>.Read(Path1);

        Assert.Null(read.Validation);
        Assert.Null(read.OptimizerFirst);
        Assert.Null(read.OptimizerSecond);
        Assert.Null(read.BestParameters);
        Assert.Null(read.DropoutState);
        Assert.Equal([1.0, 2], read.History.TrainLoss);
        using (FileStream stream = File.OpenRead(Path1))
        {
            SafeTensors file = SafeTensors.Read(stream, Path1);
            Assert.DoesNotContain(file.Tensors.Keys, k => k.Contains("optimizer", StringComparison.Ordinal) || k.Contains("best_parameters", StringComparison.Ordinal)
                                                       || k.Contains("dropout", StringComparison.Ordinal));
        }
        // Validation data of 0 rows is still validation data (rows −1 is "none").
        Write(State(2), validation: new DataIdentity(0, 5));
        Assert.Equal(new DataIdentity(0, 5), CheckpointFile<float>.Read(Path1).Validation);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_learning_rate_that_is_not_finite_and_positive_is_refused(double rate)
    {
        Write(State(), learningRate: rate);
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains($"tensor 'trainer.state.learning_rate' holds the learning rate {rate}; it must be finite and > 0.", e.Message);
        Assert.StartsWith(Path1, e.Message);
    }

    [Fact]
    public void Counts_at_their_limits_are_read_and_beyond_them_refused()
    {
        FitState state = State();
        state.EpochsSinceBest = int.MaxValue;
        Write(state);
        Assert.Equal(int.MaxValue, CheckpointFile<float>.Read(Path1).State.EpochsSinceBest);

        state.EpochsSinceBest = -1;
        Write(state);
        Assert.Contains("tensor 'trainer.state.epochs_since_best' is -1, not a count.", Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1)).Message);

        state.EpochsSinceBest = 0;
        Write(state);
        Assert.Equal(0, CheckpointFile<float>.Read(Path1).State.EpochsSinceBest);
        PatchLong(Path1, "trainer.state.epochs_since_best", 0, int.MaxValue + 1L);
        Assert.Contains("is 2147483648, not a count.", Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1)).Message);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(-2, false)]
    public void The_best_epoch_must_be_a_completed_epoch_or_none(int bestEpoch, bool valid)
    {
        TrainingHistory history = History(3);
        history.BestEpoch = bestEpoch;
        Write(State(3), history: history);
        if (valid)
        {
            Assert.Equal(bestEpoch, CheckpointFile<float>.Read(Path1).History.BestEpoch);
        }
        else
        {
            var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
            Assert.Contains($"tensor 'trainer.history.best_epoch' is {bestEpoch}, outside the 3 completed epochs.", e.Message);
        }
    }

    [Fact]
    public void A_tensor_of_the_wrong_length_or_type_is_refused_naming_it()
    {
        Write(State(), first: Vector(1)[1..]);
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains($"tensor 'trainer.optimizer.first' should be F32 [{Model.ParameterCount}], but is F32 [{Model.ParameterCount - 1}].", e.Message);

        // Same byte size, other type: an I64 count read as F64.
        Write(State());
        byte[] bytes = File.ReadAllBytes(Path1);
        string text = Encoding.Latin1.GetString(bytes);
        const string entry = "\"trainer.state.updates\":{\"dtype\":\"I64\"";
        Assert.Contains(entry, text);
        File.WriteAllBytes(Path1, Encoding.Latin1.GetBytes(text.Replace(entry, entry.Replace("I64", "F64", StringComparison.Ordinal))));
        e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains("tensor 'trainer.state.updates' should be I64 [1], but is F64 [1].", e.Message);
    }

    [Fact]
    public void A_model_file_is_not_a_checkpoint()
    {
        Model.Save(Path1);
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains("this is a model file, not a checkpoint (no trainer state).", e.Message);
    }

    private static readonly string Format1Fixture =
        Path.Combine(TestPaths.RepositoryRoot, "tests", "FastMlp.Tests", "Serialization", "Fixtures", "checkpoint-format1.safetensors");

    private static SafeTensors Raw(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return SafeTensors.Read(stream, path);
    }

    private static TElement[] Values<TElement>(SafeTensors file, string tensor, int length) where TElement : unmanaged
    {
        var values = new TElement[length];
        file.CopyTo<TElement>(file.Tensors[tensor], values);
        return values;
    }

    [Fact]
    public void Format_1_positional_counters_map_to_their_named_fields()
    {
        SafeTensors raw = Raw(Format1Fixture);
        long[] counters = Values<long>(raw, "trainer.counters", 6);
        double[] scalars = Values<double>(raw, "trainer.scalars", 4);
        long[] data = Values<long>(raw, "trainer.data", 4);
        // Distinct values, so that a field read from the wrong position shows.
        Assert.Equal(6, counters.Distinct().Count());
        Assert.Equal(4, scalars.Distinct().Count());
        Assert.Equal(1, counters[5]);

        Checkpoint<float> read = CheckpointFile<float>.Read(Format1Fixture);
        Assert.Null(read.Options);
        Assert.Equal(raw.Metadata["trainer.options"], read.LegacyOptions);
        Assert.Equal(counters[0], read.State.CompletedEpochs);
        Assert.Equal(counters[2], read.State.EpochsSinceBest);
        Assert.Equal(counters[3], read.State.SamplesSeen);
        Assert.Equal(counters[4], read.Updates);
        Assert.Equal(scalars[0], read.State.BestLoss);
        Assert.Equal(scalars[1], read.State.FirstEpochLoss);
        Assert.Equal(scalars[2], read.State.FirstStepLoss);
        Assert.Equal(scalars[3], read.LearningRate);
        Assert.Equal(new DataIdentity(counters[1], (ulong)data[1]), read.Train);
        Assert.Equal(new DataIdentity(data[2], (ulong)data[3]), read.Validation);
        Assert.Equal(Values<long>(raw, "trainer.history.best_epoch", 1)[0], read.History.BestEpoch);
        Assert.Equal(Values<double>(raw, "trainer.history.train_loss", (int)counters[0]), read.History.TrainLoss);
        Assert.NotNull(read.OptimizerFirst);
        Assert.NotNull(read.OptimizerSecond);
        Assert.NotNull(read.BestParameters);
        Assert.Null(read.DropoutState);
    }

    [Fact]
    public void Format_1_without_validation_or_without_data_identities_reads_what_it_has()
    {
        File.Copy(Format1Fixture, Path1);
        PatchLong(Path1, "trainer.counters", 5, 0);
        Assert.Null(CheckpointFile<float>.Read(Path1).Validation);

        PatchLong(Path1, "trainer.counters", 5, 1);
        PatchLong(Path1, "trainer.data", 2, -1);
        Assert.Equal(new DataIdentity(-1, null), CheckpointFile<float>.Read(Path1).Validation);

        // The earliest files: no trainer.data tensor, so only row counts are known.
        byte[] bytes = File.ReadAllBytes(Path1);
        string text = Encoding.Latin1.GetString(bytes);
        Assert.Contains("\"trainer.data\"", text);
        File.WriteAllBytes(Path1, Encoding.Latin1.GetBytes(text.Replace("\"trainer.data\"", "\"trainer.datx\"", StringComparison.Ordinal)));
        Checkpoint<float> read = CheckpointFile<float>.Read(Path1);
        long[] counters = Values<long>(Raw(Path1), "trainer.counters", 6);
        Assert.Equal(new DataIdentity(counters[1], null), read.Train);
        Assert.Equal(new DataIdentity(-1, null), read.Validation);
    }

    [Fact]
    public void Format_1_limits_validation_of_0_rows_and_a_bad_rate_are_read_as_they_are()
    {
        File.Copy(Format1Fixture, Path1);
        PatchLong(Path1, "trainer.counters", 2, int.MaxValue);
        PatchLong(Path1, "trainer.data", 2, 0);
        Checkpoint<float> read = CheckpointFile<float>.Read(Path1);
        Assert.Equal(int.MaxValue, read.State.EpochsSinceBest);
        long[] data = Values<long>(Raw(Path1), "trainer.data", 4);
        Assert.Equal(new DataIdentity(0, (ulong)data[3]), read.Validation);

        // 8 zero bytes are the double 0: a learning rate of 0, named by its tensor.
        PatchLong(Path1, "trainer.scalars", 3, 0);
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains("tensor 'trainer.scalars' holds the learning rate 0; it must be finite and > 0.", e.Message);
    }

    [Theory]
    [InlineData("\"trainer.state.updates\"", "\"trainer.state.updatez\"", "the checkpoint lacks tensor 'trainer.state.updates'.")]
    [InlineData("\"trainer.format_version\":\"2\"", "\"trainer.format_version\":\"3\"", "metadata 'trainer.format_version' is '3'; this FastMlp reads checkpoint formats 1 and 2.")]
    public void A_missing_tensor_or_an_unknown_format_is_refused_naming_it(string original, string damaged, string expected)
    {
        Write(State());
        string text = Encoding.Latin1.GetString(File.ReadAllBytes(Path1));
        Assert.Contains(original, text);
        File.WriteAllBytes(Path1, Encoding.Latin1.GetBytes(text.Replace(original, damaged, StringComparison.Ordinal)));
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(Path1, e.Message);
    }

    [Theory]
    [InlineData(0, -1L)]
    [InlineData(0, int.MaxValue + 1L)]
    [InlineData(2, -1L)]
    [InlineData(2, int.MaxValue + 1L)]
    public void Format_1_impossible_epoch_counts_are_refused(int counter, long value)
    {
        File.Copy(Format1Fixture, Path1);
        PatchLong(Path1, "trainer.counters", counter, value);
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile<float>.Read(Path1));
        Assert.Contains("trainer.counters holds an impossible epoch count.", e.Message);
    }

    /// <summary>Overwrites one element of an I64 tensor in place and keeps the file's data checksum valid.</summary>
    private static void PatchLong(string path, string tensor, int index, long value)
    {
        byte[] bytes = File.ReadAllBytes(path);
        SafeTensors file;
        using (var stream = new MemoryStream(bytes))
        {
            file = SafeTensors.Read(stream, "x");
        }
        long headerEnd = 8 + BitConverter.ToInt64(bytes, 0);
        BitConverter.GetBytes(value).CopyTo(bytes, headerEnd + file.Tensors[tensor].Begin + (8 * index));
        File.WriteAllBytes(path, CheckpointFormatTests.Rehash(bytes));
    }
}
