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
            StagedFiles.t_beforeCommit = _ => throw new IOException("injected crash");
            try
            {
                Assert.Throws<IOException>(() => replacement.Save(path));
            }
            finally
            {
                StagedFiles.t_beforeCommit = null;
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
            StagedFiles.t_beforeCommit = temporary => seen = temporary;
            try
            {
                new Mlp<float>([2, 1], Activation.ReLU, Activation.Identity, 1).Save(path);
            }
            finally
            {
                StagedFiles.t_beforeCommit = null;
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

public class OutputFileTests
{
    private static string NewFolder() => Directory.CreateTempSubdirectory("fastmlp-output-").FullName;

    [Fact]
    public void A_save_through_a_symbolic_link_replaces_the_target_and_keeps_the_link()
    {
        string directory = NewFolder();
        try
        {
            string target = Path.Combine(directory, "real.fastmlp");
            string link = Path.Combine(directory, "link.fastmlp");
            File.WriteAllBytes(target, [1, 2, 3]);
            File.CreateSymbolicLink(link, target);
            Mlp<float> model = TestModels.Create<float>([3, 4, 2], Activation.Tanh, Activation.Identity, 1, standardize: false);
            model.Save(link);
            Assert.NotNull(new FileInfo(link).LinkTarget);
            Assert.True(model.Parameters.SequenceEqual(Mlp<float>.Load(target).Parameters));
            Assert.Equal(2, Directory.GetFileSystemEntries(directory).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_dangling_symbolic_link_is_written_through_to_its_target()
    {
        string directory = NewFolder();
        try
        {
            string target = Path.Combine(directory, "later.onnx");
            string link = Path.Combine(directory, "link.onnx");
            File.CreateSymbolicLink(link, target);
            AtomicFile.Write(link, s => s.Write([7, 8]));
            Assert.Equal([7, 8], File.ReadAllBytes(target));
            Assert.NotNull(new FileInfo(link).LinkTarget);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_folder_is_refused_and_left_as_it_was()
    {
        string directory = NewFolder();
        try
        {
            string folder = Directory.CreateDirectory(Path.Combine(directory, "model.fastmlp")).FullName;
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(folder, s => s.Write([1])));
            Assert.Contains("a folder", e.Message);
            Assert.Contains(folder, e.Message);
            Assert.True(Directory.Exists(folder));
            Assert.Single(Directory.GetFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_link_to_a_folder_is_refused_naming_where_it_points()
    {
        string directory = NewFolder();
        try
        {
            string folder = Directory.CreateDirectory(Path.Combine(directory, "sub")).FullName;
            string link = Path.Combine(directory, "out.onnx");
            File.CreateSymbolicLink(link, folder);
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(link, s => s.Write([1])));
            Assert.Contains("points to " + folder, e.Message);
            Assert.NotNull(new FileInfo(link).LinkTarget);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_device_is_refused_and_not_replaced()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/null"))
        {
            return; // device nodes are a Unix matter
        }
        Assert.Equal(OutputFile.NodeKind.Other, OutputFile.Kind("/dev/null"));
        var e = Assert.Throws<IOException>(() => AtomicFile.Write("/dev/null", s => s.Write([1])));
        Assert.Contains("device", e.Message);
        Assert.Equal(OutputFile.NodeKind.Other, OutputFile.Kind("/dev/null"));
    }

    [Fact]
    public void Node_kinds_are_told_apart()
    {
        string directory = NewFolder();
        try
        {
            string file = Path.Combine(directory, "f");
            File.WriteAllText(file, "x");
            File.CreateSymbolicLink(Path.Combine(directory, "l"), file);
            Assert.Equal(OutputFile.NodeKind.RegularFile, OutputFile.Kind(file));
            Assert.Equal(OutputFile.NodeKind.Directory, OutputFile.Kind(directory));
            Assert.Equal(OutputFile.NodeKind.SymbolicLink, OutputFile.Kind(Path.Combine(directory, "l")));
            Assert.Equal(OutputFile.NodeKind.Missing, OutputFile.Kind(Path.Combine(directory, "none")));
            Assert.Equal(OutputFile.NodeKind.Missing, OutputFile.Kind(Path.Combine(file, "below-a-file")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_uncommitted_set_deletes_its_temporary_files_and_keeps_the_old_ones()
    {
        string directory = NewFolder();
        try
        {
            string a = Path.Combine(directory, "a.bin"), b = Path.Combine(directory, "b.bin");
            File.WriteAllBytes(a, [1]);
            File.WriteAllBytes(b, [2]);
            using (var files = new StagedFiles())
            {
                files.Write(a, s => s.Write([10]));
                File.WriteAllBytes(files.Reserve(b), [20]);
                Assert.Equal(4, Directory.GetFiles(directory).Length);
            }
            Assert.Equal([1], File.ReadAllBytes(a));
            Assert.Equal([2], File.ReadAllBytes(b));
            Assert.Equal(2, Directory.GetFiles(directory).Length);

            using (var files = new StagedFiles())
            {
                files.Write(a, s => s.Write([10]));
                File.WriteAllBytes(files.Reserve(b), [20]);
                files.Commit();
            }
            Assert.Equal([10], File.ReadAllBytes(a));
            Assert.Equal([20], File.ReadAllBytes(b));
            Assert.Equal(2, Directory.GetFiles(directory).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
