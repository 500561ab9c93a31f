namespace Embeddings.TestModels.Onnx;

/// <summary>
/// An ONNX <c>GraphProto</c>: nodes in topological order, initializers, and declared inputs and outputs.
/// The constructor checks that the graph is well formed, so a builder mistake surfaces here with the
/// node's name rather than as a runtime's load error.
/// </summary>
public sealed class OnnxGraph : OnnxMessage
{
    private const int NodeField = 1;
    private const int NameField = 2;
    private const int InitializerField = 5;
    private const int InputField = 11;
    private const int OutputField = 12;

    /// <summary>Creates a graph and checks it.</summary>
    /// <param name="name">The graph's name.</param>
    /// <param name="nodes">The nodes, each after the nodes whose outputs it reads.</param>
    /// <param name="initializers">Named constants.</param>
    /// <param name="inputs">The inputs a caller feeds.</param>
    /// <param name="outputs">The outputs a caller can fetch; each must be produced by a node.</param>
    /// <exception cref="InvalidOperationException">A value is read before it is defined, defined twice, or an output is never produced.</exception>
    public OnnxGraph(string name, IReadOnlyList<OnnxNode> nodes, IReadOnlyList<OnnxTensor> initializers,
        IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyList<OnnxValueInfo> outputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Nodes = [.. nodes];
        Initializers = [.. initializers];
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        Validate();
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>The nodes, in topological order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The named constants.</summary>
    public IReadOnlyList<OnnxTensor> Initializers { get; }

    /// <summary>The declared inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The declared outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <inheritdoc/>
    public override long ComputeSize()
    {
        long size = 0;
        foreach (var node in Nodes) size += FieldSize(NodeField, node);
        size += ProtobufWriter.StringFieldSize(NameField, Name);
        foreach (var initializer in Initializers) size += FieldSize(InitializerField, initializer);
        foreach (var input in Inputs) size += FieldSize(InputField, input);
        foreach (var output in Outputs) size += FieldSize(OutputField, output);
        return size;
    }

    /// <inheritdoc/>
    public override void WriteTo(ProtobufWriter writer)
    {
        foreach (var node in Nodes) WriteField(writer, NodeField, node);
        writer.WriteString(NameField, Name);
        foreach (var initializer in Initializers) WriteField(writer, InitializerField, initializer);
        foreach (var input in Inputs) WriteField(writer, InputField, input);
        foreach (var output in Outputs) WriteField(writer, OutputField, output);
    }

    private void Validate()
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in Inputs)
            if (!defined.Add(input.Name)) throw new InvalidOperationException($"Graph '{Name}': input '{input.Name}' is declared twice.");
        foreach (var initializer in Initializers)
            if (!defined.Add(initializer.Name))
                throw new InvalidOperationException($"Graph '{Name}': initializer '{initializer.Name}' clashes with another input or initializer.");
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Nodes)
        {
            if (!nodeNames.Add(node.Name)) throw new InvalidOperationException($"Graph '{Name}': two nodes are named '{node.Name}'.");
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (input.Length > 0 && !defined.Contains(input))
                    throw new InvalidOperationException(
                        $"Graph '{Name}': node '{node.Name}' ({node.OpType}) reads '{input}' (input {i}) before anything defines it.");
            }
            foreach (var output in node.Outputs)
                if (!defined.Add(output))
                    throw new InvalidOperationException($"Graph '{Name}': node '{node.Name}' redefines '{output}'.");
        }
        if (Outputs.Count == 0) throw new InvalidOperationException($"Graph '{Name}' has no outputs.");
        foreach (var output in Outputs)
            if (!defined.Contains(output.Name))
                throw new InvalidOperationException($"Graph '{Name}': output '{output.Name}' is never produced.");
    }
}
