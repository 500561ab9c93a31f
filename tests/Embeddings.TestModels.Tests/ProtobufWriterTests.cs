using Embeddings.TestModels.Onnx;

namespace Embeddings.TestModels.Tests;

public class ProtobufWriterTests
{
    private static byte[] Encode(Action<ProtobufWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new ProtobufWriter(stream, leaveOpen: true)) write(writer);
        return stream.ToArray();
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "80 01")]
    [InlineData(300UL, "AC 02")]
    [InlineData(16384UL, "80 80 01")]
    [InlineData(ulong.MaxValue, "FF FF FF FF FF FF FF FF FF 01")]
    public void Varints_are_seven_bits_a_byte_low_bits_first(ulong value, string expected)
    {
        Assert.Equal(Hex(expected), Encode(w => w.WriteVarint(value)));
        Assert.Equal(Hex(expected).Length, ProtobufWriter.VarintSize(value));
    }

    [Fact]
    public void Int64_field_150_is_the_protobuf_documentation_example()
    {
        // Field 1, varint 150: key 0x08, then 96 01.
        Assert.Equal(Hex("08 96 01"), Encode(w => w.WriteInt64(1, 150)));
    }

    [Fact]
    public void Negative_int64_takes_ten_bytes_as_twos_complement()
    {
        Assert.Equal(Hex("08 FF FF FF FF FF FF FF FF FF 01"), Encode(w => w.WriteInt64(1, -1)));
        Assert.Equal(11, ProtobufWriter.Int64FieldSize(1, -1));
    }

    [Fact]
    public void String_field_is_key_length_and_utf8_bytes()
    {
        // Field 2 "testing": key 0x12, length 7.
        Assert.Equal(Hex("12 07 74 65 73 74 69 6E 67"), Encode(w => w.WriteString(2, "testing")));
        // Length counts UTF-8 bytes, not chars: "é" is C3 A9.
        Assert.Equal(Hex("0A 02 C3 A9"), Encode(w => w.WriteString(1, "é")));
        Assert.Equal(4, ProtobufWriter.StringFieldSize(1, "é"));
    }

    [Fact]
    public void Packed_int64_is_one_key_one_length_and_the_varints()
    {
        // Field 4, [3, 270, 86942]: the protobuf documentation's packed example.
        Assert.Equal(Hex("22 06 03 8E 02 9E A7 05"), Encode(w => w.WritePackedInt64(4, [3, 270, 86942])));
        Assert.Equal(6, ProtobufWriter.PackedInt64PayloadSize([3, 270, 86942]));
    }

    [Fact]
    public void Float_field_is_fixed32_little_endian()
    {
        // 1.0f = 0x3F800000; key for field 2, wire type 5 = 0x15.
        Assert.Equal(Hex("15 00 00 80 3F"), Encode(w => w.WriteFloat(2, 1f)));
    }

    [Fact]
    public void Floats_as_bytes_are_little_endian_ieee754_with_a_byte_length()
    {
        // Field 9 (raw_data), wire type 2 = 0x4A; 1.0f, -2.0f (0xC0000000).
        Assert.Equal(Hex("4A 08 00 00 80 3F 00 00 00 C0"), Encode(w => w.WriteFloatsAsBytes(9, [1f, -2f])));
    }

    [Fact]
    public void Keys_of_field_numbers_above_15_take_two_bytes()
    {
        // Field 20, varint: (20 << 3) | 0 = 160 = A0 01.
        Assert.Equal(Hex("A0 01 02"), Encode(w => w.WriteInt64(20, 2)));
        Assert.Equal(2, ProtobufWriter.TagSize(20));
        Assert.Equal(1, ProtobufWriter.TagSize(15));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1 << 29)]
    public void Field_numbers_outside_the_protobuf_range_are_rejected(int field)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(w => w.WriteInt64(field, 1)));
    }

    [Fact]
    public void Size_helpers_agree_with_the_bytes_written()
    {
        long[] values = [0, 1, 127, 128, 300, -1, long.MaxValue, long.MinValue, 1L << 35];
        foreach (var value in values)
            Assert.Equal(ProtobufWriter.Int64FieldSize(7, value), Encode(w => w.WriteInt64(7, value)).Length);
        Assert.Equal(ProtobufWriter.LengthDelimitedFieldSize(3, 300), Encode(w => w.WriteBytes(3, new byte[300])).Length);
        Assert.Equal(ProtobufWriter.FloatFieldSize(19), Encode(w => w.WriteFloat(19, 0.5f)).Length);
    }

    [Fact]
    public void Writes_longer_than_the_internal_buffer_arrive_whole_and_in_order()
    {
        var payload = new byte[200_000];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(i * 31 + 7);
        var floats = Enumerable.Range(0, 50_000).Select(i => i * 0.25f).ToArray();
        var bytes = Encode(w =>
        {
            w.WriteBytes(1, payload);
            w.WriteFloatsAsBytes(2, floats);
            Assert.Equal(ProtobufWriter.LengthDelimitedFieldSize(1, payload.Length) + ProtobufWriter.LengthDelimitedFieldSize(2, floats.Length * 4L), w.Position);
        });
        var fields = OnnxDecoder.Fields(bytes);
        Assert.Equal(payload, fields[0].Bytes);
        Assert.Equal(floats, Enumerable.Range(0, floats.Length).Select(i => BitConverter.ToSingle(fields[1].Bytes, i * 4)));
    }

    [Fact]
    public void A_read_only_stream_is_refused()
    {
        using var stream = new MemoryStream([], writable: false);
        Assert.Throws<ArgumentException>(() => new ProtobufWriter(stream));
    }
}
