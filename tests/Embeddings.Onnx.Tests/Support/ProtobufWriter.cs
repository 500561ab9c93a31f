using System.Text;

namespace Embeddings.Onnx.Tests.Support;

/// <summary>
/// Just enough of the protobuf wire format to write small ONNX models: varints, length-delimited
/// fields and nested messages.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;

    private readonly MemoryStream _bytes = new();

    public ProtobufWriter Int(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public ProtobufWriter Bytes(int field, byte[] value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _bytes.Write(value);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.WriteByte((byte)value);
    }
}
