using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FastMlp.Cli.Models;

/// <summary>
/// Temporary model file until the library's safetensors Save/Load is merged: the magic "FMLPCLI1", a little-endian
/// int32 length, a UTF-8 JSON header (architecture, standardizer, metadata), then every layer's float32 weights and
/// biases in order. Written atomically (temp file + rename); every size read back is bounded.
/// </summary>
internal sealed class InterimModelStore : IModelStore
{
    private static ReadOnlySpan<byte> Magic => "FMLPCLI1"u8;
    private const int MaxHeaderBytes = 16 << 20;

    private sealed class Header
    {
        public int[] LayerSizes { get; set; } = [];
        public string Hidden { get; set; } = "";
        public string Output { get; set; } = "";
        public float[]? Mean { get; set; }
        public float[]? StandardDeviation { get; set; }
        public string[] FeatureNames { get; set; } = [];
        public string TargetName { get; set; } = "";
        public string[] ClassNames { get; set; } = [];
        public string Loss { get; set; } = "";
    }

    public void Save(string path, Mlp<float> network, ModelMetadata metadata)
    {
        var header = new Header
        {
            LayerSizes = network.LayerSizes.ToArray(),
            Hidden = network.HiddenActivation.ToString(),
            Output = network.OutputActivation.ToString(),
            FeatureNames = metadata.FeatureNames,
            TargetName = metadata.TargetName,
            ClassNames = metadata.ClassNames,
            Loss = metadata.Loss,
        };
        if (network.Standardizer is { } s)
        {
            header.Mean = s.Mean.ToArray();
            header.StandardDeviation = [.. s.InverseScale.ToArray().Select(v => 1 / v)];
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(Magic);
            Span<byte> length = stackalloc byte[4];
            BitConverter.TryWriteBytes(length, json.Length);
            file.Write(length);
            file.Write(json);
            for (int l = 0; l < network.LayerCount; l++)
            {
                file.Write(MemoryMarshal.AsBytes(network.GetWeights(l)));
                file.Write(MemoryMarshal.AsBytes(network.GetBiases(l)));
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public (Mlp<float> Network, ModelMetadata Metadata) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: model file not found.");
        }
        byte[] bytes = File.ReadAllBytes(path);
        string notModel = $"{path}: not a FastMlp model file";
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CliException($"{notModel} (it does not start with the FastMlp model signature).");
        }
        int length = BitConverter.ToInt32(bytes, Magic.Length);
        int offset = Magic.Length + 4;
        if (length <= 0 || length > MaxHeaderBytes || length > bytes.Length - offset)
        {
            throw new CliException($"{notModel} (header length {length} is out of range for a {bytes.Length}-byte file).");
        }
        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(Encoding.UTF8.GetString(bytes, offset, length))
                     ?? throw new CliException($"{notModel} (empty header).");
        }
        catch (JsonException e)
        {
            throw new CliException($"{notModel} (its header is not valid JSON: {e.Message}).");
        }
        offset += length;
        int[] sizes = header.LayerSizes;
        if (sizes.Length < 2 || sizes.Any(s => s < 1 || s > 1 << 20)
            || !Enum.TryParse(header.Hidden, out Activation hidden) || !Enum.TryParse(header.Output, out Activation output)
            || header.FeatureNames.Length != sizes[0])
        {
            throw new CliException($"{notModel} (its header describes no valid network).");
        }
        long parameters = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            parameters += (long)sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        if (parameters * sizeof(float) != bytes.Length - offset)
        {
            throw new CliException($"{notModel} (expected {parameters * sizeof(float)} bytes of parameters, found {bytes.Length - offset}).");
        }
        var network = new Mlp<float>(sizes, hidden, output, seed: 0);
        ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset));
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int w = sizes[l] * sizes[l + 1], b = sizes[l + 1];
            network.SetWeights(l, values.Slice(0, w));
            network.SetBiases(l, values.Slice(w, b));
            values = values.Slice(w + b);
        }
        if (header.Mean is { } mean && header.StandardDeviation is { } std)
        {
            if (mean.Length != sizes[0] || std.Length != sizes[0])
            {
                throw new CliException($"{notModel} (its standardizer does not match the {sizes[0]} inputs).");
            }
            network.Standardizer = new Standardizer<float>(mean, std);
        }
        var metadata = new ModelMetadata
        {
            FeatureNames = header.FeatureNames,
            TargetName = header.TargetName,
            ClassNames = header.ClassNames,
            Loss = header.Loss,
        };
        return (network, metadata);
    }
}
