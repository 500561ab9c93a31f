using System.Buffers.Binary;
using System.Text;

namespace Embeddings.TestModels.Onnx;

/// <summary>The protobuf wire types this writer emits.</summary>
public enum WireType
{
    /// <summary>Base-128 varint (int32, int64, enums, bool).</summary>
    Varint = 0,
    /// <summary>Eight little-endian bytes (double, fixed64).</summary>
    Fixed64 = 1,
    /// <summary>A varint length followed by that many bytes (strings, bytes, messages, packed repeated).</summary>
    LengthDelimited = 2,
    /// <summary>Four little-endian bytes (float, fixed32).</summary>
    Fixed32 = 5,
}

/// <summary>
/// Writes the protobuf wire format to a stream: tags, varints, fixed-width numbers and length-delimited
/// fields. It knows nothing about messages; callers compute a nested message's size first (with the
/// static <c>…Size</c> helpers) and write its header with <see cref="WriteLengthDelimitedHeader"/>, which is
/// what lets a large tensor go to disk straight from its array without a second in-memory copy.
/// </summary>
public sealed class ProtobufWriter : IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;
    private long _flushed;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="leaveOpen">True to keep the stream open when the writer is disposed.</param>
    public ProtobufWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes written so far, including those still buffered.</summary>
    public long Position => _flushed + _used;

    /// <summary>Writes a base-128 varint: seven bits a byte, low bits first, high bit set on all but the last.</summary>
    /// <param name="value">The value.</param>
    public void WriteVarint(ulong value)
    {
        var span = Reserve(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _used += n;
    }

    /// <summary>Writes a field key: <c>(fieldNumber &lt;&lt; 3) | wireType</c> as a varint.</summary>
    /// <param name="fieldNumber">The field number (1 … 2^29 − 1).</param>
    /// <param name="wireType">How the value that follows is encoded.</param>
    public void WriteTag(int fieldNumber, WireType wireType)
    {
        CheckFieldNumber(fieldNumber);
        WriteVarint(((ulong)fieldNumber << 3) | (ulong)wireType);
    }

    /// <summary>Writes an int64 or int32 field as a varint (negative values take ten bytes, as protobuf requires).</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="value">The value.</param>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, WireType.Varint);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a float field as four little-endian bytes.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="value">The value.</param>
    public void WriteFloat(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
        _used += 4;
    }

    /// <summary>Writes a string field as its UTF-8 bytes.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="value">The value.</param>
    public void WriteString(int fieldNumber, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteBytes(fieldNumber, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Writes a bytes field.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="value">The bytes.</param>
    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteLengthDelimitedHeader(fieldNumber, value.Length);
        WriteRaw(value);
    }

    /// <summary>
    /// Writes the key and length of a length-delimited field (a nested message, bytes, or a packed array);
    /// the caller then writes exactly <paramref name="length"/> bytes of payload.
    /// </summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="length">The payload size in bytes.</param>
    public void WriteLengthDelimitedHeader(int fieldNumber, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)length);
    }

    /// <summary>Writes floats as a bytes field of little-endian IEEE 754 values (ONNX <c>raw_data</c>).</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="values">The values.</param>
    public void WriteFloatsAsBytes(int fieldNumber, ReadOnlySpan<float> values)
    {
        WriteLengthDelimitedHeader(fieldNumber, (long)values.Length * sizeof(float));
        foreach (var value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
            _used += 4;
        }
    }

    /// <summary>Writes a packed repeated int64 field: one key, the byte length, then the varints back to back.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="values">The values.</param>
    public void WritePackedInt64(int fieldNumber, ReadOnlySpan<long> values)
    {
        WriteLengthDelimitedHeader(fieldNumber, PackedInt64PayloadSize(values));
        foreach (var value in values) WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes bytes as they are, with no key or length.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == BufferSize) FlushBuffer();
            int n = Math.Min(bytes.Length, BufferSize - _used);
            bytes[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Writes everything buffered to the stream and flushes it.</summary>
    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>Flushes, then closes the stream unless it was to be left open.</summary>
    public void Dispose()
    {
        Flush();
        if (!_leaveOpen) _stream.Dispose();
    }

    /// <summary>The number of bytes <see cref="WriteVarint"/> uses for <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public static int VarintSize(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>The size of a field key.</summary>
    /// <param name="fieldNumber">The field number.</param>
    public static int TagSize(int fieldNumber)
    {
        CheckFieldNumber(fieldNumber);
        return VarintSize((ulong)fieldNumber << 3);
    }

    /// <summary>The size of a varint int64 field, key included.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="value">The value.</param>
    public static long Int64FieldSize(int fieldNumber, long value) => TagSize(fieldNumber) + VarintSize(unchecked((ulong)value));

    /// <summary>The size of a float field, key included.</summary>
    /// <param name="fieldNumber">The field number.</param>
    public static long FloatFieldSize(int fieldNumber) => TagSize(fieldNumber) + 4;

    /// <summary>The size of a string field, key included.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="value">The value.</param>
    public static long StringFieldSize(int fieldNumber, string value) =>
        LengthDelimitedFieldSize(fieldNumber, Encoding.UTF8.GetByteCount(value));

    /// <summary>The size of a length-delimited field with a payload of <paramref name="payloadLength"/> bytes, key included.</summary>
    /// <param name="fieldNumber">The field number.</param>
    /// <param name="payloadLength">The payload size in bytes.</param>
    public static long LengthDelimitedFieldSize(int fieldNumber, long payloadLength) =>
        TagSize(fieldNumber) + VarintSize((ulong)payloadLength) + payloadLength;

    /// <summary>The size of the varints of a packed int64 field, without key or length.</summary>
    /// <param name="values">The values.</param>
    public static long PackedInt64PayloadSize(ReadOnlySpan<long> values)
    {
        long size = 0;
        foreach (var value in values) size += VarintSize(unchecked((ulong)value));
        return size;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (BufferSize - _used < bytes) FlushBuffer();
        return _buffer.AsSpan(_used, bytes);
    }

    private void FlushBuffer()
    {
        _stream.Write(_buffer, 0, _used);
        _flushed += _used;
        _used = 0;
    }

    private static void CheckFieldNumber(int fieldNumber)
    {
        if (fieldNumber < 1 || fieldNumber > (1 << 29) - 1)
            throw new ArgumentOutOfRangeException(nameof(fieldNumber), fieldNumber, "Protobuf field numbers run from 1 to 2^29 - 1.");
    }
}
