using FastMlp.Serialization;
using Xunit;

namespace FastMlp.Tests.Serialization;

public class AtomicSaveTests
{
    [Fact]
    public void A_save_interrupted_before_commit_leaves_the_previous_file_intact()
    {
        string directory = Directory.CreateTempSubdirectory("fastmlp-atomic-").FullName;
        try
        {
            string path = Path.Combine(directory, "model.safetensors");
            Mlp<float> old = TestModels.Create<float>([3, 5, 2], Activation.Tanh, Activation.Identity, 1, standardize: false);
            old.Save(path);
            byte[] before = File.ReadAllBytes(path);

            Mlp<float> replacement = TestModels.Create<float>([3, 5, 2], Activation.Tanh, Activation.Identity, 2, standardize: false);
            AtomicFile.t_beforeCommit = _ => throw new IOException("injected crash");
            try
            {
                Assert.Throws<IOException>(() => replacement.Save(path));
            }
            finally
            {
                AtomicFile.t_beforeCommit = null;
            }
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(directory));

            replacement.Save(path);
            Assert.True(replacement.Parameters.SequenceEqual(Mlp<float>.Load(path).Parameters));
            Assert.Equal([path], Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_writer_failing_half_way_leaves_the_previous_file_intact()
    {
        string directory = Directory.CreateTempSubdirectory("fastmlp-atomic-").FullName;
        try
        {
            string path = Path.Combine(directory, "model.safetensors");
            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[100_000]);
                throw new InvalidOperationException("injected");
            }));
            Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_temporary_file_lives_beside_the_target()
    {
        string directory = Directory.CreateTempSubdirectory("fastmlp-atomic-").FullName;
        try
        {
            string path = Path.Combine(directory, "m.safetensors");
            string? seen = null;
            AtomicFile.t_beforeCommit = temporary => seen = temporary;
            try
            {
                new Mlp<float>([2, 1], Activation.ReLU, Activation.Identity, 1).Save(path);
            }
            finally
            {
                AtomicFile.t_beforeCommit = null;
            }
            Assert.Equal(directory, Path.GetDirectoryName(seen));
            Assert.False(File.Exists(seen));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
