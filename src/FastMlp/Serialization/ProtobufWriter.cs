using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FastMlp.Serialization;

/// <summary>
/// The few protobuf wire types ONNX needs (varint, 32-bit, length-delimited), written directly.
/// Why not Google.Protobuf: the library would then ship a runtime dependency plus code generated from
/// onnx.proto (thousands of lines) to write five message types, one way; the encoding below is ~80 lines
/// and is checked end to end by loading the result in ONNX Runtime in the tests.
/// Nested messages are built in their own writer and embedded as bytes (sizes are known then).
/// </summary>
internal sealed class ProtobufWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public ProtobufWriter Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = _buffer.GetSpan(4);
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Advance(4);
        return this;
    }

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.WrittenSpan);

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        Span<byte> bytes = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            bytes[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[n++] = (byte)value;
        _buffer.Advance(n);
    }
}
