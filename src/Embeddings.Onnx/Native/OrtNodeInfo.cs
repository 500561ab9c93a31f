namespace Embeddings.Onnx.Native;

/// <summary>One input or output of a session: its name, kind, element type and declared shape.</summary>
internal sealed unsafe class OrtNodeInfo
{
    private readonly byte[] _utf8Name;

    public OrtNodeInfo(string name, OrtValueType valueType, OrtElementType elementType, long[] shape)
    {
        Name = name;
        ValueType = valueType;
        ElementType = elementType;
        Shape = shape;
        _utf8Name = Utf8.PinnedNullTerminated(name);
    }

    /// <summary>The name the model gives it.</summary>
    public string Name { get; }

    /// <summary>Tensor, sequence, map, …</summary>
    public OrtValueType ValueType { get; }

    /// <summary>The element type of a tensor; <see cref="OrtElementType.Undefined"/> for anything else.</summary>
    public OrtElementType ElementType { get; }

    /// <summary>Declared dimensions, -1 where symbolic or unknown; empty for non-tensors.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The name as a NUL-terminated UTF-8 string at a fixed address, for <c>Run</c>.</summary>
    public byte* Utf8Name => Utf8.AddressOf(_utf8Name);

    /// <inheritdoc />
    public override string ToString() =>
        ValueType == OrtValueType.Tensor ? $"{Name}: {ElementType} [{string.Join(", ", Shape)}]" : $"{Name}: {ValueType}";
}
