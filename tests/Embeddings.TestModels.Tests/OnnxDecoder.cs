using Google.Protobuf;

namespace Embeddings.TestModels.Tests;

/// <summary>
/// Reads an encoded ONNX model back with Google.Protobuf's decoder (independent of the writer under test)
/// into plain records holding the fields the builder writes. Documentation, domain and metadata fields
/// (which other exporters write) are skipped; any other unknown field is an error, so a field written
/// under a wrong number shows up.
/// </summary>
internal static class OnnxDecoder
{
    public static DecodedModel Model(byte[] bytes)
    {
        long ir = 0;
        string producer = "";
        DecodedGraph? graph = null;
        var opsets = new List<(string Domain, long Version)>();
        foreach (var f in Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: ir = f.Int64; break;
                case 2: producer = f.String; break;
                case 3 or 4 or 5 or 6 or 14: break; // producer_version, domain, model_version, doc_string, metadata_props
                case 7: graph = Graph(f.Bytes); break;
                case 8: opsets.Add(Opset(f.Bytes)); break;
                default: throw Unknown("ModelProto", f);
            }
        }
        return new DecodedModel(ir, producer, opsets, graph ?? throw new InvalidDataException("ModelProto has no graph."));
    }

    private static (string, long) Opset(byte[] bytes)
    {
        string domain = "";
        long version = 0;
        foreach (var f in Fields(bytes))
        {
            if (f.Number == 1) domain = f.String;
            else if (f.Number == 2) version = f.Int64;
            else throw Unknown("OperatorSetIdProto", f);
        }
        return (domain, version);
    }

    private static DecodedGraph Graph(byte[] bytes)
    {
        var nodes = new List<DecodedNode>();
        var initializers = new List<DecodedTensor>();
        var inputs = new List<DecodedValueInfo>();
        var outputs = new List<DecodedValueInfo>();
        string name = "";
        foreach (var f in Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: nodes.Add(Node(f.Bytes)); break;
                case 2: name = f.String; break;
                case 5: initializers.Add(Tensor(f.Bytes)); break;
                case 11: inputs.Add(ValueInfo(f.Bytes)); break;
                case 12: outputs.Add(ValueInfo(f.Bytes)); break;
                case 10 or 13: break; // doc_string, value_info
                default: throw Unknown("GraphProto", f);
            }
        }
        return new DecodedGraph(name, nodes, initializers, inputs, outputs);
    }

    private static DecodedNode Node(byte[] bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<DecodedAttribute>();
        string name = "", op = "";
        foreach (var f in Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: inputs.Add(f.String); break;
                case 2: outputs.Add(f.String); break;
                case 3: name = f.String; break;
                case 4: op = f.String; break;
                case 5: attributes.Add(Attribute(f.Bytes)); break;
                case 6 or 7: break; // doc_string, domain
                default: throw Unknown("NodeProto", f);
            }
        }
        return new DecodedNode(op, name, inputs, outputs, attributes);
    }

    private static DecodedAttribute Attribute(byte[] bytes)
    {
        string name = "", s = "";
        long type = 0, i = 0;
        float fl = 0;
        var ints = new List<long>();
        var floats = new List<float>();
        foreach (var f in Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: name = f.String; break;
                case 2: fl = f.Float; break;
                case 3: i = f.Int64; break;
                case 4: s = f.String; break;
                case 7: floats.Add(f.Float); break;
                case 8: ints.AddRange(f.Int64s); break;
                case 20: type = f.Int64; break;
                case 13: break; // doc_string
                default: throw Unknown("AttributeProto", f);
            }
        }
        return new DecodedAttribute(name, type, i, fl, s, ints, floats);
    }

    private static DecodedTensor Tensor(byte[] bytes)
    {
        var dims = new List<long>();
        var int64s = new List<long>();
        long type = 0;
        string name = "";
        byte[]? raw = null;
        foreach (var f in Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: dims.AddRange(f.Int64s); break;
                case 2: type = f.Int64; break;
                case 7: int64s.AddRange(f.Int64s); break;
                case 8: name = f.String; break;
                case 9: raw = f.Bytes; break;
                case 12: break; // doc_string
                default: throw Unknown("TensorProto", f);
            }
        }
        return new DecodedTensor(name, dims, type, raw, int64s);
    }

    private static DecodedValueInfo ValueInfo(byte[] bytes)
    {
        string name = "";
        long elementType = 0;
        var dims = new List<string>();
        foreach (var f in Fields(bytes))
        {
            if (f.Number == 1) name = f.String;
            else if (f.Number == 2)
            {
                var tensorType = Single(f.Bytes, 1, "TypeProto");
                foreach (var t in Fields(tensorType))
                {
                    if (t.Number == 1) elementType = t.Int64;
                    else if (t.Number == 2)
                    {
                        foreach (var dim in Fields(t.Bytes))
                        {
                            if (dim.Number != 1) throw Unknown("TensorShapeProto", dim);
                            var inner = Fields(dim.Bytes);
                            dims.Add(inner.Count == 0 ? "?"
                                : inner[0].Number == 1 ? inner[0].Int64.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                : inner[0].String);
                        }
                    }
                    else throw Unknown("TypeProto.Tensor", t);
                }
            }
            else if (f.Number != 3) throw Unknown("ValueInfoProto", f); // 3: doc_string
        }
        return new DecodedValueInfo(name, elementType, dims);
    }

    private static byte[] Single(byte[] bytes, int number, string message)
    {
        var fields = Fields(bytes);
        if (fields.Count != 1 || fields[0].Number != number)
            throw new InvalidDataException($"{message}: expected only field {number}.");
        return fields[0].Bytes;
    }

    private static InvalidDataException Unknown(string message, Field f) =>
        new($"{message}: unexpected field {f.Number} (wire type {f.WireType}).");

    /// <summary>Every field of one message, in order, decoded by Google.Protobuf.</summary>
    public static List<Field> Fields(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var fields = new List<Field>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            var wireType = WireFormat.GetTagWireType(tag);
            fields.Add(wireType switch
            {
                WireFormat.WireType.Varint => new Field(number, wireType, input.ReadUInt64(), [], 0),
                WireFormat.WireType.Fixed32 => new Field(number, wireType, 0, [], input.ReadFixed32()),
                WireFormat.WireType.LengthDelimited => new Field(number, wireType, 0, input.ReadBytes().ToByteArray(), 0),
                _ => throw new InvalidDataException($"Field {number}: unexpected wire type {wireType}."),
            });
        }
        return fields;
    }

    internal sealed record Field(int Number, WireFormat.WireType WireType, ulong Varint, byte[] Bytes, uint Fixed32)
    {
        public long Int64 => WireType == WireFormat.WireType.Varint ? unchecked((long)Varint)
            : throw new InvalidDataException($"Field {Number} is not a varint.");

        public float Float => WireType == WireFormat.WireType.Fixed32 ? BitConverter.UInt32BitsToSingle(Fixed32)
            : throw new InvalidDataException($"Field {Number} is not a fixed32.");

        public string String => System.Text.Encoding.UTF8.GetString(Bytes);

        /// <summary>A repeated int64 element, or a packed run of them.</summary>
        public IEnumerable<long> Int64s
        {
            get
            {
                if (WireType == WireFormat.WireType.Varint) return [Int64];
                var packed = new CodedInputStream(Bytes);
                var values = new List<long>();
                while (!packed.IsAtEnd) values.Add(packed.ReadInt64());
                return values;
            }
        }
    }
}

internal sealed record DecodedModel(long IrVersion, string Producer, IReadOnlyList<(string Domain, long Version)> Opsets, DecodedGraph Graph);

internal sealed record DecodedGraph(string Name, IReadOnlyList<DecodedNode> Nodes, IReadOnlyList<DecodedTensor> Initializers,
    IReadOnlyList<DecodedValueInfo> Inputs, IReadOnlyList<DecodedValueInfo> Outputs)
{
    public DecodedTensor Initializer(string name) => Initializers.Single(i => i.Name == name);
}

internal sealed record DecodedNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<DecodedAttribute> Attributes);

internal sealed record DecodedAttribute(string Name, long Type, long Int, float Float, string String, IReadOnlyList<long> Ints,
    IReadOnlyList<float> Floats);

internal sealed record DecodedTensor(string Name, IReadOnlyList<long> Dims, long DataType, byte[]? RawData, IReadOnlyList<long> Int64Data)
{
    public float[] Floats() =>
        RawData is null ? throw new InvalidDataException($"Tensor '{Name}' has no raw_data.")
            : Enumerable.Range(0, RawData.Length / 4).Select(i => System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(RawData.AsSpan(i * 4))).ToArray();
}

internal sealed record DecodedValueInfo(string Name, long ElementType, IReadOnlyList<string> Dims);
