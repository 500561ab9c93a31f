using Google.Protobuf;

namespace Embeddings.Compare.Quantization;

/// <summary>
/// Reads the float32 initializers (name → values) of an ONNX file: ModelProto.graph (7) → GraphProto.initializer
/// (5) → TensorProto name (8), data_type (2), raw_data (9) or float_data (4). Everything else is skipped.
/// </summary>
internal static class OnnxFloatInitializers
{
    private const int FloatType = 1;

    public static Dictionary<string, float[]> Read(string path)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var model = new CodedInputStream(File.ReadAllBytes(path));
        foreach (var graph in Fields(model, 7))
        foreach (var tensor in Fields(new CodedInputStream(graph.ToByteArray()), 5))
        {
            var (name, values) = Tensor(tensor);
            if (name is not null && values is not null) result[name] = values;
        }
        return result;
    }

    private static (string? Name, float[]? Values) Tensor(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string? name = null;
        int type = 0;
        float[]? raw = null;
        var floats = new List<float>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 2: type = input.ReadInt32(); break;
                case 8: name = input.ReadString(); break;
                case 9:
                    var data = input.ReadBytes().Span;
                    raw = new float[data.Length / sizeof(float)];
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).CopyTo(raw);
                    break;
                case 4 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packed.IsAtEnd) floats.Add(packed.ReadFloat());
                    break;
                case 4: floats.Add(input.ReadFloat()); break;
                default: input.SkipLastField(); break;
            }
        }
        return type == FloatType ? (name, raw ?? floats.ToArray()) : (name, null);
    }

    private static IEnumerable<ByteString> Fields(CodedInputStream input, int number)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                yield return input.ReadBytes();
            else input.SkipLastField();
        }
    }
}
