using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FastMlp.Serialization;

/// <summary>
/// Maps an <see cref="Mlp{T}"/> to and from the safetensors layout. Tensors (all in the model's dtype,
/// F32 or F64): <c>layers.{l}.weight</c> [outputs × inputs] (PyTorch <c>nn.Linear</c> layout, the
/// transpose of FastMlp's in-memory [inputs × outputs]), <c>layers.{l}.bias</c> [outputs], and with a
/// standardizer <c>standardizer.mean</c> and <c>standardizer.inverse_scale</c> [inputs]
/// (x′ = (x − mean)·inverse_scale). <c>__metadata__</c>: format, format_version, layer_sizes,
/// hidden_activation, output_activation, and optionally loss, class_names (a JSON array), feature_names, target_name
/// and decision_threshold (written only when it is not 0.5).
/// </summary>
internal static class ModelFile<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const string Format = "fastmlp";

    /// <summary>
    /// The newest version read: 2 added Int8 models, 3 the tabular schema (written only by models that carry one);
    /// full-precision files without a schema are still written as version 1.
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>The version of files whose model carries a <see cref="TabularSchema"/> (older readers would ignore it).</summary>
    public const int SchemaFormatVersion = 3;

    /// <summary>The version written for full-precision models (readable by every FastMlp).</summary>
    public const int FullFormatVersion = 1;

    private const int MaxLayers = 4096;

    public static void Save(Mlp<T> model, string path) => AtomicFile.Write(path, stream => Write(model, stream));

    public static void Write(Mlp<T> model, Stream stream)
    {
        if (model.Int8Source is { } int8)
        {
            QuantizedModelFile<T>.Write(model, int8, stream);
            return;
        }
        var writer = new SafeTensors.Writer();
        AddTo(model, writer);
        writer.WriteTo(stream);
    }

    /// <summary>Adds the model's metadata and tensors to a file being built.</summary>
    public static void AddTo(Mlp<T> model, SafeTensors.Writer writer)
    {
        AddMetadata(model, writer);
        for (int l = 0; l < model.LayerCount; l++)
        {
            int inputs = model.Sizes[l], outputs = model.Sizes[l + 1];
            writer.Add($"layers.{l}.weight", Transpose(model.GetWeights(l), inputs, outputs), outputs, inputs);
            writer.Add($"layers.{l}.bias", model.GetBiases(l), outputs);
        }
        if (model.Standardizer is { } standardizer)
        {
            writer.Add("standardizer.mean", standardizer.Mean, standardizer.FeatureCount);
            writer.Add("standardizer.inverse_scale", standardizer.InverseScale, standardizer.FeatureCount);
        }
    }

    /// <summary>The description every model file carries (architecture, activations, names, loss).</summary>
    internal static void AddMetadata(Mlp<T> model, SafeTensors.Writer writer)
    {
        Dictionary<string, string> meta = writer.Metadata;
        meta["format"] = Format;
        meta["format_version"] = FullFormatVersion.ToString(CultureInfo.InvariantCulture);
        meta["layer_sizes"] = string.Join(",", model.Sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        meta["hidden_activation"] = model.HiddenActivation.ToString();
        meta["output_activation"] = model.OutputActivation.ToString();
        if (model.Loss is { } loss)
        {
            meta["loss"] = loss.ToString();
        }
        if (model.ClassNames is { } names)
        {
            meta["class_names"] = JsonSerializeStrings(names);
        }
        if (model.FeatureNames is { } features)
        {
            meta["feature_names"] = JsonSerializeStrings(features);
        }
        if (model.TargetName is { } target)
        {
            meta["target_name"] = target;
        }
        // A reader that predates a setting must refuse the file rather than predict without it (format version 3).
        if (model.DecisionThreshold != 0.5)
        {
            meta["decision_threshold"] = model.DecisionThreshold.ToString("R", CultureInfo.InvariantCulture);
            meta["format_version"] = SchemaFormatVersion.ToString(CultureInfo.InvariantCulture);
        }
        if (model.Schema is { } schema)
        {
            meta["tabular_schema"] = schema.ToJson();
            meta["format_version"] = SchemaFormatVersion.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static Mlp<T> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(SafeTensors.Read(stream, path), path, extraTensorPrefix: null);
    }

    public static Mlp<T> Load(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            ThrowHelper.Argument(nameof(stream), "The stream must be seekable (its length bounds what is read from it).");
        }
        return Read(SafeTensors.Read(stream, source), source, extraTensorPrefix: null);
    }

    /// <summary>
    /// Builds the model a parsed file describes, checking metadata and every tensor against the
    /// architecture. Tensors other than the model's are rejected unless their name starts with
    /// <paramref name="extraTensorPrefix"/> (checkpoints carry trainer state beside the model).
    /// </summary>
    public static Mlp<T> Read(SafeTensors file, string source, string? extraTensorPrefix)
    {
        IReadOnlyDictionary<string, string> meta = file.Metadata;
        string format = Required(meta, "format", source);
        if (format != Format)
        {
            throw SafeTensors.Error(source, $"metadata 'format' is '{format}', not '{Format}' (a safetensors file, but not a FastMlp model).");
        }
        string versionText = Required(meta, "format_version", source);
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw SafeTensors.Error(source, $"metadata 'format_version' is '{versionText}', not a positive integer.");
        }
        if (version > FormatVersion)
        {
            throw SafeTensors.Error(source, $"format version {version} is newer than this FastMlp reads ({FormatVersion}); update FastMlp.");
        }
        int[] sizes = ParseSizes(Required(meta, "layer_sizes", source), source);
        Activation hidden = ParseEnum<Activation>(meta, "hidden_activation", source) ?? throw Missing("hidden_activation", source);
        Activation output = ParseEnum<Activation>(meta, "output_activation", source) ?? throw Missing("output_activation", source);
        Loss? loss = ParseEnum<Loss>(meta, "loss", source);
        string[]? classNames = meta.TryGetValue("class_names", out string? namesJson) ? ParseStrings(namesJson, "class_names", source) : null;
        string[]? featureNames = meta.TryGetValue("feature_names", out string? featuresJson) ? ParseStrings(featuresJson, "feature_names", source) : null;
        string? targetName = meta.TryGetValue("target_name", out string? target) ? target : null;
        double threshold = ParseThreshold(meta, source);
        TabularSchema? schema = ReadSchema(meta, version, source);
        if ((ParseEnum<WeightPrecision>(meta, "precision", source) ?? WeightPrecision.Full) == WeightPrecision.Int8)
        {
            if (extraTensorPrefix is not null)
            {
                throw SafeTensors.Error(source, "metadata 'precision' is Int8, but a checkpoint holds a full-precision model.");
            }
            Mlp<T> quantized = QuantizedModelFile<T>.Read(file, source, sizes, hidden, output);
            Describe(quantized, loss, classNames, featureNames, targetName, threshold, schema, source);
            return quantized;
        }

        // Every tensor is checked against the architecture before anything is sized by it.
        TensorType type = SafeTensors.TypeOf<T>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        int layers = sizes.Length - 1;
        for (int l = 0; l < layers; l++)
        {
            CheckTensor(file, $"layers.{l}.weight", type, [sizes[l + 1], sizes[l]], source, expected);
            CheckTensor(file, $"layers.{l}.bias", type, [sizes[l + 1]], source, expected);
        }
        bool hasMean = file.Tensors.ContainsKey("standardizer.mean"), hasScale = file.Tensors.ContainsKey("standardizer.inverse_scale");
        if (hasMean != hasScale)
        {
            throw SafeTensors.Error(source, $"the file has standardizer.{(hasMean ? "mean" : "inverse_scale")} without standardizer.{(hasMean ? "inverse_scale" : "mean")}.");
        }
        if (hasMean)
        {
            CheckTensor(file, "standardizer.mean", type, [sizes[0]], source, expected);
            CheckTensor(file, "standardizer.inverse_scale", type, [sizes[0]], source, expected);
        }
        foreach (string name in file.Tensors.Keys)
        {
            if (!expected.Contains(name) && (extraTensorPrefix is null || !name.StartsWith(extraTensorPrefix, StringComparison.Ordinal)))
            {
                throw SafeTensors.Error(source, $"tensor '{name}' is not part of a [{string.Join(", ", sizes)}] FastMlp model.");
            }
        }

        var model = new Mlp<T>(sizes, hidden, output, seed: 0);
        for (int l = 0; l < layers; l++)
        {
            int inputs = sizes[l], outputs = sizes[l + 1];
            var transposed = new T[inputs * outputs];
            file.CopyTo<T>(file.Tensors[$"layers.{l}.weight"], transposed);
            CheckFinite(transposed, $"layers.{l}.weight", source);
            Transpose(transposed, outputs, inputs).CopyTo(model.Parameters.Slice(model.WeightOffset(l), inputs * outputs));
            Span<T> bias = model.Parameters.Slice(model.WeightOffset(l) + inputs * outputs, outputs);
            file.CopyTo(file.Tensors[$"layers.{l}.bias"], bias);
            CheckFinite(bias, $"layers.{l}.bias", source);
        }
        if (hasMean)
        {
            var mean = new T[sizes[0]];
            var inverseScale = new T[sizes[0]];
            file.CopyTo<T>(file.Tensors["standardizer.mean"], mean);
            file.CopyTo<T>(file.Tensors["standardizer.inverse_scale"], inverseScale);
            CheckFinite(mean, "standardizer.mean", source);
            CheckFinite(inverseScale, "standardizer.inverse_scale", source);
            model.Standardizer = Standardizer<T>.FromInverseScale(mean, inverseScale);
        }
        Describe(model, loss, classNames, featureNames, targetName, threshold, schema, source);
        return model;
    }

    private static void Describe(Mlp<T> model, Loss? loss, string[]? classNames, string[]? featureNames, string? targetName, double threshold,
                                 TabularSchema? schema, string source)
    {
        try
        {
            model.DecisionThreshold = threshold;
            model.Schema = schema;
            model.Loss = loss;
            model.ClassNames = classNames;
            model.FeatureNames = featureNames;
            model.TargetName = targetName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw SafeTensors.Error(source, e.Message, e);
        }
    }

    /// <summary>The optional 'decision_threshold' (absent: 0.5); its range is checked by the model's setter.</summary>
    private static double ParseThreshold(IReadOnlyDictionary<string, string> meta, string source)
    {
        if (!meta.TryGetValue("decision_threshold", out string? text))
        {
            return 0.5;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double threshold))
        {
            throw SafeTensors.Error(source, $"metadata 'decision_threshold' is '{text}', not a number.");
        }
        return threshold;
    }

    private static TabularSchema? ReadSchema(IReadOnlyDictionary<string, string> meta, int version, string source)
    {
        if (!meta.TryGetValue("tabular_schema", out string? json))
        {
            return null;
        }
        if (version < SchemaFormatVersion)
        {
            throw SafeTensors.Error(source, $"metadata 'tabular_schema' needs format version {SchemaFormatVersion}, but the file says {version}.");
        }
        try
        {
            return TabularSchema.FromJson(json);
        }
        catch (FormatException e)
        {
            throw SafeTensors.Error(source, $"metadata 'tabular_schema': {e.Message}.", e);
        }
    }

    private static void CheckTensor(SafeTensors file, string name, TensorType type, long[] shape, string source, HashSet<string> expected)
    {
        if (!file.Tensors.TryGetValue(name, out TensorEntry entry))
        {
            throw SafeTensors.Error(source, $"tensor '{name}' is missing.");
        }
        if (entry.Type != type)
        {
            throw SafeTensors.Error(source, $"tensor '{name}' is {entry.Type}, but Mlp<{typeof(T).Name}> needs {type}" +
                                            (entry.Type is TensorType.F32 or TensorType.F64 ? $" (load it as Mlp<{(entry.Type == TensorType.F32 ? "float" : "double")}>)." : "."));
        }
        if (!entry.Shape.AsSpan().SequenceEqual(shape))
        {
            throw SafeTensors.Error(source, $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but the architecture needs [{string.Join(", ", shape)}].");
        }
        expected.Add(name);
    }

    internal static void CheckFinite(ReadOnlySpan<T> values, string name, string source)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw SafeTensors.Error(source, $"tensor '{name}' element {i} is {values[i]}; values must be finite.");
            }
        }
    }

    private static int[] ParseSizes(string text, string source)
    {
        string[] parts = text.Split(',');
        if (parts.Length < 2 || parts.Length > MaxLayers + 1)
        {
            throw SafeTensors.Error(source, $"metadata 'layer_sizes' lists {parts.Length} sizes; a model has 2 to {MaxLayers + 1}.");
        }
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw SafeTensors.Error(source, $"metadata 'layer_sizes' entry {i} is '{parts[i]}', not an integer ≥ 1.");
            }
        }
        return sizes;
    }

    private static string Required(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        meta.TryGetValue(key, out string? value) ? value : throw Missing(key, source);

    private static ModelFormatException Missing(string key, string source) =>
        SafeTensors.Error(source, $"__metadata__ lacks '{key}' (not a FastMlp model file?).");

    private static TEnum? ParseEnum<TEnum>(IReadOnlyDictionary<string, string> meta, string key, string source) where TEnum : struct, Enum
    {
        if (!meta.TryGetValue(key, out string? text))
        {
            return null;
        }
        // Names only: Enum.TryParse would also accept numbers that name no member.
        foreach (TEnum value in Enum.GetValues<TEnum>())
        {
            if (value.ToString() == text)
            {
                return value;
            }
        }
        throw SafeTensors.Error(source, $"metadata '{key}' is '{text}', not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    internal static string JsonSerializeStrings(IReadOnlyList<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (string v in values)
            {
                json.WriteStringValue(v);
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string[] ParseStrings(string json, string key, string source)
    {
        var values = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 2 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw SafeTensors.Error(source, $"metadata '{key}' is not a JSON array of strings.");
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw SafeTensors.Error(source, $"metadata '{key}' is not a JSON array of strings.");
                }
                values.Add(reader.GetString()!);
            }
            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            {
                throw SafeTensors.Error(source, $"metadata '{key}' is not a single JSON array of strings.");
            }
        }
        catch (JsonException e)
        {
            throw SafeTensors.Error(source, $"metadata '{key}' is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on an escape that is not valid UTF-16 (a lone surrogate such as \ud800).
            throw SafeTensors.Error(source, $"metadata '{key}' holds a string that is not valid UTF-16 text: {e.Message}", e);
        }
        return values.ToArray();
    }

    /// <summary>A row-major [rows × cols] matrix transposed into a new [cols × rows] array.</summary>
    internal static T[] Transpose(ReadOnlySpan<T> matrix, int rows, int cols)
    {
        var result = new T[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[c * rows + r] = matrix[r * cols + c];
            }
        }
        return result;
    }
}
