using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace FastMlp.Serialization;

internal sealed partial class SafeTensors
{
    /// <summary>Builds a file: tensors are laid out in the order added, the header padded to 8 bytes with spaces.</summary>
    internal sealed class Writer
    {
        private readonly List<(string Name, TensorType Type, long[] Shape, byte[] Data)> _tensors = [];

        public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

        public void Add<TElement>(string name, ReadOnlySpan<TElement> values, params long[] shape) where TElement : unmanaged
        {
            byte[] data = MemoryMarshal.AsBytes(values).ToArray();
            TensorType type = TypeOf<TElement>();
            if (!BitConverter.IsLittleEndian)
            {
                ReverseEndianness(data, SizeOf(type));
            }
            _tensors.Add((name, type, shape, data));
        }

        public void WriteTo(Stream stream)
        {
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                foreach ((_, _, _, byte[] data) in _tensors)
                {
                    hash.AppendData(data);
                }
                Metadata[ChecksumKey] = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                if (Metadata.Count > 0)
                {
                    json.WriteStartObject("__metadata__");
                    foreach ((string key, string value) in Metadata)
                    {
                        json.WriteString(key, value);
                    }
                    json.WriteEndObject();
                }
                long offset = 0;
                foreach ((string name, TensorType type, long[] shape, byte[] data) in _tensors)
                {
                    json.WriteStartObject(name);
                    json.WriteString("dtype", type.ToString());
                    json.WriteStartArray("shape");
                    foreach (long d in shape)
                    {
                        json.WriteNumberValue(d);
                    }
                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset + data.Length);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    offset += data.Length;
                }
                json.WriteEndObject();
            }
            ReadOnlySpan<byte> header = buffer.WrittenSpan;
            int padding = (8 - header.Length % 8) % 8;
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)(header.Length + padding));
            stream.Write(prefix);
            stream.Write(header);
            for (int i = 0; i < padding; i++)
            {
                stream.WriteByte((byte)' ');
            }
            foreach ((_, _, _, byte[] data) in _tensors)
            {
                stream.Write(data);
            }
        }
    }
}
