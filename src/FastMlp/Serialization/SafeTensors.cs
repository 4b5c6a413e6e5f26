using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace FastMlp.Serialization;

/// <summary>One tensor of a file: dtype, shape and its byte range in the data section.</summary>
internal readonly record struct TensorEntry(string Name, TensorType Type, long[] Shape, long Begin, long End)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in Shape)
            {
                count *= d;
            }
            return count;
        }
    }
}

/// <summary>
/// The safetensors layout (https://github.com/huggingface/safetensors): an 8-byte little-endian header
/// length N, N bytes of JSON {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets"}},
/// then the raw little-endian tensor data, offsets relative to its start. Reading checks every number read
/// from the file before it sizes anything: the header length against a cap and the file size, the JSON with
/// a depth limit, each tensor's byte count against its dtype and shape, and that the tensors tile the data
/// section exactly (no gaps, no overlaps, nothing outside).
/// </summary>
internal sealed partial class SafeTensors
{
    /// <summary>Largest header accepted (the reference implementation's own cap).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Metadata key of the SHA-256 (lowercase hex) of the data section.</summary>
    public const string ChecksumKey = "data_sha256";

    private const int MaxRank = 8;
    private const int MaxTensors = 1 << 16;

    private readonly Dictionary<string, TensorEntry> _tensors;
    private readonly byte[] _data;

    private SafeTensors(Dictionary<string, string> metadata, Dictionary<string, TensorEntry> tensors, byte[] data)
    {
        Metadata = metadata;
        _tensors = tensors;
        _data = data;
    }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyDictionary<string, TensorEntry> Tensors => _tensors;

    public static int SizeOf(TensorType type) => type switch
    {
        TensorType.F32 => 4,
        TensorType.I8 => 1,
        TensorType.F16 or TensorType.BF16 => 2,
        _ => 8,
    };

    public static TensorType TypeOf<TElement>() where TElement : unmanaged =>
        typeof(TElement) == typeof(float) ? TensorType.F32
        : typeof(TElement) == typeof(double) ? TensorType.F64
        : typeof(TElement) == typeof(long) ? TensorType.I64
        : typeof(TElement) == typeof(sbyte) ? TensorType.I8
        : throw new NotSupportedException($"No safetensors dtype for {typeof(TElement).Name}.");

    /// <summary>Copies a tensor's elements (little-endian in the file) into <paramref name="destination"/>; sizes were checked at read.</summary>
    public void CopyTo<TElement>(TensorEntry entry, Span<TElement> destination) where TElement : unmanaged
    {
        ReadOnlySpan<byte> bytes = BytesOf(entry);
        Span<byte> target = MemoryMarshal.AsBytes(destination);
        bytes.CopyTo(target);
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(target, SizeOf(entry.Type));
        }
    }

    /// <summary>A tensor's raw little-endian bytes (its range was checked against the data section at read).</summary>
    public ReadOnlySpan<byte> BytesOf(TensorEntry entry) => _data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin));

    /// <summary>Parses a whole safetensors stream (seekable, positioned at its start).</summary>
    public static SafeTensors Read(Stream stream, string source)
    {
        long length = stream.Length - stream.Position;
        if (length < 8)
        {
            throw Error(source, $"the file has {length} bytes; a safetensors file starts with an 8-byte header length.");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
        {
            throw Error(source, $"the header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit.");
        }
        if ((long)headerLength > length - 8)
        {
            throw Error(source, $"the header length {headerLength} exceeds the {length - 8} bytes that follow it (truncated file?).");
        }
        if (headerLength < 2)
        {
            throw Error(source, $"the header length {headerLength} is too small for a JSON object.");
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = length - 8 - (long)headerLength;
        if (dataLength > Array.MaxLength)
        {
            throw Error(source, $"the data section has {dataLength} bytes, more than one array can hold.");
        }
        (Dictionary<string, string> metadata, Dictionary<string, TensorEntry> tensors) = ParseHeader(header, source);
        CheckLayout(tensors, dataLength, source);
        var data = new byte[dataLength];
        stream.ReadExactly(data);
        // The checksum is optional (files written by other tools lack it) but catches any change to the data.
        if (metadata.TryGetValue(ChecksumKey, out string? expectedHash))
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(data));
            if (!string.Equals(expectedHash, actual, StringComparison.Ordinal))
            {
                throw Error(source, $"the data section does not match its {ChecksumKey} checksum (corrupted file?).");
            }
        }
        return new SafeTensors(metadata, tensors, data);
    }

    private static (Dictionary<string, string>, Dictionary<string, TensorEntry>) ParseHeader(byte[] header, string source)
    {
        if (header[0] != (byte)'{')
        {
            throw Error(source, "the header does not start with '{' (not a safetensors file?).");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        bool sawMetadata = false;
        try
        {
            var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow });
            Expect(ref reader, JsonTokenType.StartObject, "the header", source);
            while (true)
            {
                Next(ref reader, source);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
                string name = reader.GetString()!;
                if (name == "__metadata__")
                {
                    if (sawMetadata) throw Error(source, "the header has two __metadata__ entries.");
                    sawMetadata = true;
                    ReadMetadata(ref reader, metadata, source);
                    continue;
                }
                if (tensors.ContainsKey(name)) throw Error(source, $"the header lists tensor '{name}' twice.");
                if (tensors.Count == MaxTensors) throw Error(source, $"the header lists more than {MaxTensors} tensors.");
                tensors.Add(name, ReadTensor(ref reader, name, source));
            }
            // Only padding may follow the object (the format pads the header with spaces).
            if (reader.Read())
            {
                throw Error(source, $"the header has content after its closing brace, at byte {reader.TokenStartIndex}.");
            }
        }
        catch (JsonException e)
        {
            throw Error(source, $"the header is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw Error(source, $"the header holds an invalid string or number: {e.Message}", e);
        }
        return (metadata, tensors);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, "__metadata__", source);
        while (true)
        {
            Next(ref reader, source);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }
            string key = reader.GetString()!;
            Expect(ref reader, JsonTokenType.String, $"__metadata__.{key}", source);
            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw Error(source, $"__metadata__ has key '{key}' twice.");
            }
        }
    }

    private static TensorEntry ReadTensor(ref Utf8JsonReader reader, string name, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"tensor '{name}'", source);
        TensorType? type = null;
        List<long>? shape = null;
        long begin = -1, end = -1;
        while (true)
        {
            Next(ref reader, source);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            string key = reader.GetString()!;
            switch (key)
            {
                case "dtype" when type is null:
                    Expect(ref reader, JsonTokenType.String, $"tensor '{name}' dtype", source);
                    string dtype = reader.GetString()!;
                    type = dtype switch
                    {
                        "F32" => TensorType.F32,
                        "F64" => TensorType.F64,
                        "I64" => TensorType.I64,
                        "I8" => TensorType.I8,
                        "F16" => TensorType.F16,
                        "BF16" => TensorType.BF16,
                        _ => throw Error(source, $"tensor '{name}' has dtype '{dtype}'; FastMlp reads F32, F64, F16, BF16, I64 and I8."),
                    };
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(ref reader, $"tensor '{name}' shape", MaxRank, source);
                    break;
                case "data_offsets" when begin < 0:
                    List<long> offsets = ReadIntegers(ref reader, $"tensor '{name}' data_offsets", 2, source);
                    if (offsets.Count != 2) throw Error(source, $"tensor '{name}' data_offsets has {offsets.Count} values, not [begin, end].");
                    (begin, end) = (offsets[0], offsets[1]);
                    break;
                default:
                    throw Error(source, $"tensor '{name}' has an unexpected or repeated field '{key}'.");
            }
        }
        if (type is null || shape is null || begin < 0)
        {
            throw Error(source, $"tensor '{name}' lacks {(type is null ? "dtype" : shape is null ? "shape" : "data_offsets")}.");
        }
        if (end < begin)
        {
            throw Error(source, $"tensor '{name}' data_offsets [{begin}, {end}] end before they begin.");
        }
        long elements = 1;
        foreach (long d in shape)
        {
            // Overflow-safe: stop as soon as the product passes anything a file could hold.
            if (d != 0 && elements > long.MaxValue / 8 / d)
            {
                throw Error(source, $"tensor '{name}' has an absurd shape [{string.Join(", ", shape)}].");
            }
            elements *= d;
        }
        long bytes = elements * SizeOf(type.Value);
        if (end - begin != bytes)
        {
            throw Error(source, $"tensor '{name}' ({type} [{string.Join(", ", shape)}]) needs {bytes} bytes, but data_offsets [{begin}, {end}] span {end - begin}.");
        }
        return new TensorEntry(name, type.Value, shape.ToArray(), begin, end);
    }

    private static List<long> ReadIntegers(ref Utf8JsonReader reader, string what, int max, string source)
    {
        Expect(ref reader, JsonTokenType.StartArray, what, source);
        var values = new List<long>(max);
        while (true)
        {
            Next(ref reader, source);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values;
            }
            if (values.Count == max) throw Error(source, $"{what} has more than {max} values.");
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
            {
                throw Error(source, $"{what} holds something other than a non-negative 64-bit integer.");
            }
            values.Add(value);
        }
    }

    private static void CheckLayout(Dictionary<string, TensorEntry> tensors, long dataLength, string source)
    {
        var sorted = tensors.Values.ToArray();
        Array.Sort(sorted, (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        string? previous = null;
        foreach (TensorEntry t in sorted)
        {
            if (t.End > dataLength)
            {
                throw Error(source, $"tensor '{t.Name}' data_offsets [{t.Begin}, {t.End}] reach past the {dataLength}-byte data section (truncated file?).");
            }
            if (t.Begin < expected)
            {
                throw Error(source, $"tensors '{previous}' and '{t.Name}' overlap in the data section.");
            }
            if (t.Begin > expected)
            {
                throw Error(source, $"bytes [{expected}, {t.Begin}) of the data section belong to no tensor.");
            }
            expected = t.End;
            previous = t.Name;
        }
        if (expected != dataLength)
        {
            throw Error(source, $"the data section has {dataLength} bytes but the tensors cover {expected}.");
        }
    }

    private static void Next(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read())
        {
            throw Error(source, "the header JSON ends early.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, string source)
    {
        Next(ref reader, source);
        if (reader.TokenType != type)
        {
            throw Error(source, $"{what} should be a JSON {type} but is a {reader.TokenType}.");
        }
    }

    internal static ModelFormatException Error(string source, string problem, Exception? inner = null) =>
        new($"{source}: {problem}", inner);

    private static void ReverseEndianness(Span<byte> bytes, int size)
    {
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }
}
