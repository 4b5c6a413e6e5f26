using System.IO.Compression;

namespace FastMlp.Cli.Data;

/// <summary>The datasets shipped inside the tool: MNIST (10k images), scikit-learn's digits and diabetes.</summary>
internal static class EmbeddedDatasets
{
    public static readonly string[] Names = ["mnist", "digits", "diabetes"];

    public static TabularData Load(string name) => name switch
    {
        "mnist" => LoadMnist(),
        "digits" => LoadCsv("digits.csv", "digit"),
        "diabetes" => LoadCsv("diabetes.csv", "progression"),
        _ => throw new CliException($"--dataset: unknown dataset '{name}'; the embedded ones are {string.Join(", ", Names)}."),
    };

    private static TabularData LoadMnist()
    {
        (int[] imageDims, byte[] pixels) = IdxReader.Read(Open("mnist10k-images-idx3-ubyte.gz"), "mnist10k-images");
        (_, byte[] labels) = IdxReader.Read(Open("mnist10k-labels-idx1-ubyte.gz"), "mnist10k-labels");
        return FromIdx(imageDims, pixels, labels, "mnist (embedded, 10k)");
    }

    /// <summary>Builds a classification table from IDX tensors: pixels ÷ 255, classes named by label value.</summary>
    public static TabularData FromIdx(int[] imageDims, byte[] pixels, byte[] labelBytes, string source)
    {
        int rows = imageDims[0];
        if (rows == 0 || labelBytes.Length != rows)
        {
            throw new CliException($"{source}: {rows} images but {labelBytes.Length} labels.");
        }
        int features = pixels.Length / rows;
        var x = new float[pixels.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = pixels[i] / 255f;
        }
        int classes = Math.Max(labelBytes.Max() + 1, 2);
        int[] labels = [.. labelBytes.Select(b => (int)b)];
        string[] classNames = [.. Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return new TabularData
        {
            Source = source,
            FeatureNames = [.. Enumerable.Range(0, features).Select(i => $"pixel{i}")],
            TargetName = "label",
            IsScaled = true,
            Dataset = Dataset<float>.ForClassification(x, labels, features, classes, classNames),
        };
    }

    /// <summary>Loads an IDX image file and an IDX label file (either may be gzipped).</summary>
    public static TabularData LoadIdx(string imagesPath, string labelsPath)
    {
        foreach (string p in new[] { imagesPath, labelsPath })
        {
            if (!File.Exists(p))
            {
                throw new CliException($"--data-idx: {p}: file not found.");
            }
        }
        (int[] dims, byte[] pixels) = ReadIdx(imagesPath);
        (int[] labelDims, byte[] labels) = ReadIdx(labelsPath);
        if (dims.Length < 2)
        {
            throw new CliException($"{imagesPath}: images need rank ≥ 2 (count, pixels…), but the rank is {dims.Length}.");
        }
        if (labelDims.Length != 1 || labelDims[0] != dims[0])
        {
            throw new CliException($"{labelsPath}: expected one label per image ({dims[0]}), but the label tensor has shape [{string.Join(", ", labelDims)}].");
        }
        return FromIdx(dims, pixels, labels, imagesPath);
    }

    private static (int[] Dims, byte[] Data) ReadIdx(string path)
    {
        using FileStream file = File.OpenRead(path);
        bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        return IdxReader.Read(stream, path);
    }

    private static TabularData LoadCsv(string resource, string target)
    {
        using var reader = new StreamReader(OpenRaw(resource));
        return CsvDataset.Load("-", target, TaskKind.Auto, reader) is var data
            ? new TabularData { Source = $"{Path.GetFileNameWithoutExtension(resource)} (embedded)", FeatureNames = data.FeatureNames, TargetName = data.TargetName, Dataset = data.Dataset }
            : throw new InvalidOperationException();
    }

    private static Stream Open(string resource) => new GZipStream(OpenRaw(resource), CompressionMode.Decompress);

    private static Stream OpenRaw(string resource) =>
        typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream("FastMlp.Cli.Datasets." + resource)
        ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
}
