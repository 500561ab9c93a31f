namespace Embeddings.TestModels.Onnx;

/// <summary>An ONNX <c>NodeProto</c>: one operator application in the default (<c>ai.onnx</c>) domain.</summary>
public sealed class OnnxNode : OnnxMessage
{
    private const int InputField = 1;
    private const int OutputField = 2;
    private const int NameField = 3;
    private const int OpTypeField = 4;
    private const int AttributeField = 5;

    /// <summary>Creates a node.</summary>
    /// <param name="opType">The operator, e.g. <c>MatMul</c>.</param>
    /// <param name="name">A name unique in the graph.</param>
    /// <param name="inputs">Value names read, in the operator's order; an empty string skips an optional input.</param>
    /// <param name="outputs">Value names produced.</param>
    /// <param name="attributes">The operator's attributes.</param>
    public OnnxNode(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        IReadOnlyList<OnnxAttribute>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) throw new ArgumentException($"Node '{name}' ({opType}) has no outputs.", nameof(outputs));
        OpType = opType;
        Name = name;
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        Attributes = attributes is null ? [] : [.. attributes];
    }

    /// <summary>The operator.</summary>
    public string OpType { get; }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>Value names read.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Value names produced.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The attributes.</summary>
    public IReadOnlyList<OnnxAttribute> Attributes { get; }

    /// <inheritdoc/>
    public override long ComputeSize()
    {
        long size = 0;
        foreach (var input in Inputs) size += ProtobufWriter.StringFieldSize(InputField, input);
        foreach (var output in Outputs) size += ProtobufWriter.StringFieldSize(OutputField, output);
        size += ProtobufWriter.StringFieldSize(NameField, Name);
        size += ProtobufWriter.StringFieldSize(OpTypeField, OpType);
        foreach (var attribute in Attributes) size += FieldSize(AttributeField, attribute);
        return size;
    }

    /// <inheritdoc/>
    public override void WriteTo(ProtobufWriter writer)
    {
        foreach (var input in Inputs) writer.WriteString(InputField, input);
        foreach (var output in Outputs) writer.WriteString(OutputField, output);
        writer.WriteString(NameField, Name);
        writer.WriteString(OpTypeField, OpType);
        foreach (var attribute in Attributes) WriteField(writer, AttributeField, attribute);
    }
}
