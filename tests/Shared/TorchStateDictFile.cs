using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace FastMlp.TestFiles;

/// <summary>
/// Builds, byte by byte and independently of the library's writer, the safetensors file that
/// <c>safetensors.torch.save_file(model.state_dict(), path)</c> writes for an <c>nn.Sequential</c>: an 8-byte
/// little-endian header length, the JSON header (PyTorch's <c>{"format": "pt"}</c> metadata, then each tensor's
/// dtype, shape and data offsets), padded with spaces to a multiple of 8, then the little-endian tensor data.
/// </summary>
internal sealed class TorchStateDictFile
{
    private readonly List<(string Name, string Dtype, long[] Shape, byte[] Data)> _tensors = [];

    /// <summary>Adds a tensor whose values are encoded in <paramref name="dtype"/> (F32, F16, BF16, F64 or I64).</summary>
    public TorchStateDictFile Add(string name, string dtype, long[] shape, params double[] values) =>
        AddRaw(name, dtype, shape, Encode(dtype, values));

    /// <summary>Adds a tensor with the given data bytes as they are (for bit patterns and wrong sizes).</summary>
    public TorchStateDictFile AddRaw(string name, string dtype, long[] shape, byte[] data)
    {
        _tensors.Add((name, dtype, shape, data));
        return this;
    }

    /// <summary>Adds <c>{index}.weight</c> [out × in] (PyTorch's layout, row by row) and <c>{index}.bias</c> [out].</summary>
    public TorchStateDictFile Linear(int index, string dtype, double[,] weight, double[] bias)
    {
        int outputs = weight.GetLength(0), inputs = weight.GetLength(1);
        return Add($"{index}.weight", dtype, [outputs, inputs], [.. weight.Cast<double>()])
              .Add($"{index}.bias", dtype, [bias.Length], bias);
    }

    public byte[] ToBytes()
    {
        var json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        foreach ((string name, string dtype, long[] shape, byte[] data) in _tensors)
        {
            json.Append(CultureInfo.InvariantCulture,
                $",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }
        json.Append('}');
        while (Encoding.UTF8.GetByteCount(json.ToString()) % 8 != 0)
        {
            json.Append(' ');
        }
        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        var bytes = new List<byte>(8 + header.Length + (int)offset);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        bytes.AddRange(length);
        bytes.AddRange(header);
        foreach ((_, _, _, byte[] data) in _tensors)
        {
            bytes.AddRange(data);
        }
        return [.. bytes];
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    /// <summary>Little-endian encoding of <paramref name="values"/>; BF16 keeps the upper 16 bits of the F32 (exact for the values tests use).</summary>
    public static byte[] Encode(string dtype, double[] values)
    {
        int size = dtype switch { "F32" => 4, "F16" or "BF16" => 2, "F64" or "I64" => 8, _ => throw new ArgumentException(dtype) };
        var data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            Span<byte> element = data.AsSpan(i * size, size);
            switch (dtype)
            {
                case "F32": BinaryPrimitives.WriteSingleLittleEndian(element, (float)values[i]); break;
                case "F16": BinaryPrimitives.WriteHalfLittleEndian(element, (Half)values[i]); break;
                case "BF16": BinaryPrimitives.WriteUInt16LittleEndian(element, (ushort)(BitConverter.SingleToUInt32Bits((float)values[i]) >> 16)); break;
                case "F64": BinaryPrimitives.WriteDoubleLittleEndian(element, values[i]); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(element, (long)values[i]); break;
            }
        }
        return data;
    }
}
