using System.Text;
using Embeddings.TestModels.Onnx;

namespace Embeddings.TestModels.Tests;

/// <summary>Each ONNX message against bytes worked out by hand from the field numbers in onnx.proto.</summary>
public class OnnxMessageTests
{
    private static byte[] Encode(OnnxMessage message)
    {
        using var stream = new MemoryStream();
        using (var writer = new ProtobufWriter(stream, leaveOpen: true)) message.WriteTo(writer);
        var bytes = stream.ToArray();
        Assert.Equal(message.ComputeSize(), bytes.Length);
        return bytes;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Int_attribute_has_name_i_and_type_int()
    {
        // name (1) "axis"; i (3) = -1 as ten bytes; type (20) = INT (2).
        var expected = Hex("0A 04" + Ascii("axis") + "18 FF FF FF FF FF FF FF FF FF 01" + "A0 01 02");
        Assert.Equal(expected, Encode(OnnxAttribute.Int("axis", -1)));
    }

    [Fact]
    public void Ints_attribute_repeats_the_key_per_element()
    {
        // ints (8) is a proto2 repeated field without packing: key 0x40 before each value; type (20) = INTS (7).
        var expected = Hex("0A 04" + Ascii("perm") + "40 00 40 02 40 01 40 03" + "A0 01 07");
        Assert.Equal(expected, Encode(OnnxAttribute.Ints("perm", 0, 2, 1, 3)));
    }

    [Fact]
    public void Float_attribute_is_fixed32()
    {
        // f (2): key 0x15 and 0.5f = 0x3F000000; type (20) = FLOAT (1).
        var expected = Hex("0A 07" + Ascii("epsilon") + "15 00 00 00 3F" + "A0 01 01");
        Assert.Equal(expected, Encode(OnnxAttribute.Float("epsilon", 0.5f)));
    }

    [Fact]
    public void String_attribute_is_bytes_in_s()
    {
        // s (4): key 0x22; type (20) = STRING (3).
        var expected = Hex("0A 04" + Ascii("mode") + "22 08" + Ascii("constant") + "A0 01 03");
        Assert.Equal(expected, Encode(OnnxAttribute.String("mode", "constant")));
    }

    [Fact]
    public void Float_tensor_is_dims_type_name_and_raw_data()
    {
        // dims (1) 2; data_type (2) FLOAT = 1; name (8) "w"; raw_data (9) 1.0f 2.0f little-endian.
        var expected = Hex("08 02 10 01 42 01 77 4A 08 00 00 80 3F 00 00 00 40");
        Assert.Equal(expected, Encode(OnnxTensor.Float("w", [2], new[] { 1f, 2f })));
    }

    [Fact]
    public void Int64_tensor_is_packed_int64_data()
    {
        // dims 2; data_type INT64 = 7; int64_data (7, packed) [0, -1]; name "s".
        var expected = Hex("08 02 10 07 3A 0B 00 FF FF FF FF FF FF FF FF FF 01 42 01 73");
        Assert.Equal(expected, Encode(OnnxTensor.Int64("s", [2], new[] { 0L, -1L })));
    }

    [Fact]
    public void Scalar_tensor_has_no_dims()
    {
        Assert.Equal(Hex("10 07 3A 01 05 42 01 6B"), Encode(OnnxTensor.Int64("k", [], new[] { 5L })));
    }

    [Fact]
    public void Tensor_whose_values_do_not_fill_its_shape_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxTensor.Float("w", [2, 3], new float[5]));
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => OnnxTensor.Int64("i", [-1], Array.Empty<long>()));
    }

    [Fact]
    public void Value_info_nests_type_tensor_type_and_shape_with_symbolic_and_fixed_dims()
    {
        // ValueInfo{ name "x", type TypeProto{ tensor_type{ elem_type INT64, shape{ dim{dim_param "batch_size"}, dim{dim_value 4} } } } }
        var dimBatch = "0A 0C 12 0A" + Ascii("batch_size");
        var dimFour = "0A 02 08 04";
        var shape = "12 12" + dimBatch + dimFour;           // shape payload: 14 + 4 = 18 bytes
        var tensorType = "0A 16 08 07" + shape;             // tensor payload: 2 + 2 + 18 = 22 bytes
        var expected = Hex("0A 01 78 12 18" + tensorType); // type payload: 2 + 22 = 24 bytes
        Assert.Equal(expected, Encode(new OnnxValueInfo("x", OnnxDataType.Int64, ["batch_size", 4])));
    }

    [Fact]
    public void Unknown_dimension_is_an_empty_dim_message()
    {
        var expected = Hex("0A 01 78 12 08 0A 06 08 01 12 02 0A 00");
        Assert.Equal(expected, Encode(new OnnxValueInfo("x", OnnxDataType.Float, [default])));
    }

    [Fact]
    public void A_whole_one_node_model_matches_hand_computed_bytes()
    {
        var graph = new OnnxGraph("g",
            [new OnnxNode("Identity", "n", ["x"], ["y"])],
            [],
            [new OnnxValueInfo("x", OnnxDataType.Float, [1])],
            [new OnnxValueInfo("y", OnnxDataType.Float, [1])]);
        var model = new OnnxModel(graph) { ProducerName = "p", ProducerVersion = "1" };

        var node = "0A 01 78 12 01 79 1A 01 6E 22 08" + Ascii("Identity");       // 19 bytes
        string ValueInfo(string name) => "0A 01" + Ascii(name) + "12 0A 0A 08 08 01 12 04 0A 02 08 01"; // 15 bytes
        var graphBytes = "0A 13" + node + "12 01 67" + "5A 0F" + ValueInfo("x") + "62 0F" + ValueInfo("y"); // 58 bytes
        var expected = Hex("08 08" + "12 01 70" + "1A 01 31" + "3A 3A" + graphBytes + "42 02 10 11");

        Assert.Equal(expected, model.ToBytes());
        Assert.Equal(72, model.ComputeSize());
    }
}
