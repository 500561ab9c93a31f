namespace Embeddings.Onnx.Tests.Support;

/// <summary>
/// Writes tiny ONNX models (a handful of Cast/Identity nodes) that exercise how the backend feeds inputs
/// and reads outputs: position ids, past key/value inputs, half-precision outputs, inputs it cannot feed.
/// Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto).
/// </summary>
internal sealed class TinyOnnxGraph
{
    /// <summary>TensorProto.DataType values used here.</summary>
    public enum ElementType
    {
        Float = 1,
        Int32 = 6,
        Int64 = 7,
        Float16 = 10,
        BFloat16 = 16,
    }

    private readonly List<ProtobufWriter> _inputs = [];
    private readonly List<ProtobufWriter> _outputs = [];
    private readonly List<ProtobufWriter> _nodes = [];

    /// <summary>Declares a graph input; a dimension is either a size (long) or a symbolic name (string).</summary>
    public TinyOnnxGraph Input(string name, ElementType type, params object[] dims)
    {
        _inputs.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Declares a graph output.</summary>
    public TinyOnnxGraph Output(string name, ElementType type, params object[] dims)
    {
        _outputs.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Adds <c>output = Cast(input, to)</c>.</summary>
    public TinyOnnxGraph Cast(string input, string output, ElementType to) =>
        Node("Cast", input, output, new ProtobufWriter().String(1, "to").Int(3, (long)to).Int(20, 2));

    /// <summary>Adds <c>output = Identity(input)</c>.</summary>
    public TinyOnnxGraph Identity(string input, string output) => Node("Identity", input, output, null);

    /// <summary>Adds <c>output = op(input)</c> for any operator type, known to ONNX or not.</summary>
    public TinyOnnxGraph Operator(string op, string input, string output) => Node(op, input, output, null);

    /// <summary>Writes the model (IR 8, opset 17) to <paramref name="path"/> and returns the path.</summary>
    public string Save(string path)
    {
        var graph = new ProtobufWriter();
        foreach (var node in _nodes) graph.Message(1, node);
        graph.String(2, "tiny");
        foreach (var input in _inputs) graph.Message(11, input);
        foreach (var output in _outputs) graph.Message(12, output);
        var model = new ProtobufWriter()
            .Int(1, 8)
            .String(2, "Embeddings.Onnx.Tests")
            .Message(7, graph)
            .Message(8, new ProtobufWriter().String(1, "").Int(2, 17));
        File.WriteAllBytes(path, model.ToArray());
        return path;
    }

    private TinyOnnxGraph Node(string op, string input, string output, ProtobufWriter? attribute)
    {
        var node = new ProtobufWriter().String(1, input).String(2, output).String(3, $"{op}_{output}").String(4, op);
        if (attribute is not null) node.Message(5, attribute);
        _nodes.Add(node);
        return this;
    }

    private static ProtobufWriter ValueInfo(string name, ElementType type, object[] dims)
    {
        var shape = new ProtobufWriter();
        foreach (var dim in dims)
        {
            var dimension = dim switch
            {
                string symbol => new ProtobufWriter().String(2, symbol),
                int size => new ProtobufWriter().Int(1, size),
                long size => new ProtobufWriter().Int(1, size),
                _ => throw new ArgumentException($"A dimension is a size or a name, not {dim}."),
            };
            shape.Message(1, dimension);
        }
        var tensorType = new ProtobufWriter().Int(1, (long)type).Message(2, shape);
        return new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, tensorType));
    }
}
