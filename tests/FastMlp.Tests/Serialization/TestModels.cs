using System.Text;
using FastMlp.Serialization;

namespace FastMlp.Tests.Serialization;

internal static class TestModels
{
    public static Mlp<T> Create<T>(int[] sizes, Activation hidden, Activation output, int seed, bool standardize)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var model = new Mlp<T>(sizes, hidden, output, seed);
        var random = new Random(seed);
        // Non-zero biases so they matter in the comparisons.
        for (int l = 0; l < model.LayerCount; l++)
        {
            model.SetBiases(l, Enumerable.Range(0, sizes[l + 1]).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray());
        }
        if (standardize)
        {
            T[] mean = Enumerable.Range(0, sizes[0]).Select(_ => T.CreateTruncating(random.NextDouble() * 4 - 2)).ToArray();
            T[] std = Enumerable.Range(0, sizes[0]).Select(i => i == 0 ? T.Zero : T.CreateTruncating(0.1 + random.NextDouble() * 3)).ToArray();
            model.Standardizer = new Standardizer<T>(mean, std);
        }
        return model;
    }

    public static T[] RandomInputs<T>(int count, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() * 6 - 3)).ToArray();
    }

    public static string TempPath() => Path.Combine(Path.GetTempPath(), $"fastmlp-test-{Guid.NewGuid():N}.safetensors");

    /// <summary>
    /// A small classifier with a column schema of every kind of column (numeric with and without a missing indicator,
    /// categorical with rare and missing categories), quoting and non-ASCII text in names, tokens and categories.
    /// </summary>
    public static Mlp<float> SmallSchemaModel()
    {
        TabularSchema schema = TabularSchema.Fit(
            ["age", "job \"title\"", "city", "income"],
            [["30", "clerk", "Oslo", "10"], ["NA", "nurse", "Zürich", "12.5"], ["50", "clerk", "?", "-1e3"], ["41", "chef", "Oslo", "7"],
             ["", "clerk", "Zürich", "9"], ["38", "nurse", "Oslo", "11"]],
            new TabularSchemaOptions { MissingIndicators = true, MinCategoryCount = 2, Imputation = Imputation.Median, MissingTokens = ["", "NA", "?", "n/a \\ \"x\""] });
        Mlp<float> model = Create<float>([schema.FeatureCount, 4, 2], Activation.ReLU, Activation.Softmax, 7, standardize: true);
        model.Loss = Loss.SoftmaxCrossEntropy;
        model.ClassNames = ["no", "yes"];
        model.Schema = schema;
        model.FeatureNames = schema.FeatureNames;
        return model;
    }

    /// <summary><see cref="SmallSchemaModel"/>'s file, with metadata 'tabular_schema' replaced by <paramref name="schemaJson"/> when given.</summary>
    public static byte[] SmallSchemaModelFile(string? schemaJson = null)
    {
        var writer = new SafeTensors.Writer();
        ModelFile<float>.AddTo(SchemaModel, writer);
        if (schemaJson is not null)
        {
            writer.Metadata["tabular_schema"] = schemaJson;
        }
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    private static readonly Mlp<float> SchemaModel = SmallSchemaModel();

    public static byte[] SmallModelFile()
    {
        Mlp<float> model = Create<float>([3, 4, 2], Activation.ReLU, Activation.Softmax, 7, standardize: true);
        model.Loss = Loss.SoftmaxCrossEntropy;
        model.ClassNames = ["a", "b"];
        var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }
}

/// <summary>Hand-built safetensors files for the malformed cases.</summary>
internal static class RawSafeTensors
{
    public const string Meta = "\"__metadata__\":{\"format\":\"fastmlp\",\"format_version\":\"1\",\"layer_sizes\":\"2,1\",\"hidden_activation\":\"ReLU\",\"output_activation\":\"Identity\"}";

    /// <summary>8-byte length, the header, then <paramref name="dataBytes"/> bytes of (finite) data.</summary>
    public static byte[] Build(string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>A valid [2, 1] float model file whose tensor entries are given.</summary>
    public static byte[] Model(string weight, string bias, int dataBytes = 12) =>
        Build("{" + Meta + ",\"layers.0.weight\":" + weight + ",\"layers.0.bias\":" + bias + "}", dataBytes);

    public static byte[] WithoutChecksum(SafeTensors.Writer writer)
    {
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        // Re-serialize the header without the checksum key.
        byte[] bytes = stream.ToArray();
        int headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        var node = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(8, headerLength))!.AsObject();
        node["__metadata__"]!.AsObject().Remove(SafeTensors.ChecksumKey);
        byte[] json = Encoding.UTF8.GetBytes(node.ToJsonString());
        var result = new byte[8 + json.Length + bytes.Length - 8 - headerLength];
        BitConverter.TryWriteBytes(result.AsSpan(0, 8), (ulong)json.Length);
        json.CopyTo(result, 8);
        bytes.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + json.Length));
        return result;
    }
}
