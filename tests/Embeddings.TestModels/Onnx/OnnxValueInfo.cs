namespace Embeddings.TestModels.Onnx;

/// <summary>
/// One dimension of a declared shape: a fixed size, or a symbolic name such as <c>batch_size</c>.
/// The default value is a dimension with neither, which ONNX reads as unknown.
/// </summary>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? parameter)
    {
        Value = value;
        Parameter = parameter;
    }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Parameter { get; }

    /// <summary>A fixed dimension.</summary>
    /// <param name="value">The size (≥ 0).</param>
    public static OnnxDimension Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new OnnxDimension(value, null);
    }

    /// <summary>A symbolic dimension, bound when the model runs.</summary>
    /// <param name="name">The name, e.g. <c>sequence_length</c>.</param>
    public static OnnxDimension Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new OnnxDimension(null, name);
    }

    /// <summary>A fixed dimension.</summary>
    /// <param name="value">The size.</param>
    public static implicit operator OnnxDimension(long value) => Fixed(value);

    /// <summary>A symbolic dimension.</summary>
    /// <param name="name">The name.</param>
    public static implicit operator OnnxDimension(string name) => Symbolic(name);

    /// <inheritdoc/>
    public override string ToString() => Parameter ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}

/// <summary>
/// An ONNX <c>ValueInfoProto</c> for a tensor: name, element type and shape. Graph inputs and outputs are
/// declared with these.
/// </summary>
public sealed class OnnxValueInfo : OnnxMessage
{
    private const int NameField = 1;
    private const int TypeField = 2;

    /// <summary>Declares a tensor value.</summary>
    /// <param name="name">The value's name.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    public OnnxValueInfo(string name, OnnxDataType elementType, IReadOnlyList<OnnxDimension> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        ElementType = elementType;
        Shape = [.. shape];
    }

    /// <summary>The value's name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<OnnxDimension> Shape { get; }

    /// <inheritdoc/>
    public override long ComputeSize() =>
        ProtobufWriter.StringFieldSize(NameField, Name) + FieldSize(TypeField, new TypeMessage(this));

    /// <inheritdoc/>
    public override void WriteTo(ProtobufWriter writer)
    {
        writer.WriteString(NameField, Name);
        WriteField(writer, TypeField, new TypeMessage(this));
    }

    /// <summary><c>TypeProto</c> holding only <c>tensor_type</c> (field 1).</summary>
    private sealed class TypeMessage(OnnxValueInfo info) : OnnxMessage
    {
        public override long ComputeSize() => FieldSize(1, new TensorTypeMessage(info));

        public override void WriteTo(ProtobufWriter writer) => WriteField(writer, 1, new TensorTypeMessage(info));
    }

    /// <summary><c>TypeProto.Tensor</c>: <c>elem_type</c> (1) and <c>shape</c> (2).</summary>
    private sealed class TensorTypeMessage(OnnxValueInfo info) : OnnxMessage
    {
        public override long ComputeSize() =>
            ProtobufWriter.Int64FieldSize(1, (long)info.ElementType) + FieldSize(2, new ShapeMessage(info.Shape));

        public override void WriteTo(ProtobufWriter writer)
        {
            writer.WriteInt64(1, (long)info.ElementType);
            WriteField(writer, 2, new ShapeMessage(info.Shape));
        }
    }

    /// <summary><c>TensorShapeProto</c>: repeated <c>dim</c> (1).</summary>
    private sealed class ShapeMessage(IReadOnlyList<OnnxDimension> shape) : OnnxMessage
    {
        public override long ComputeSize() => shape.Sum(dim => FieldSize(1, new DimensionMessage(dim)));

        public override void WriteTo(ProtobufWriter writer)
        {
            foreach (var dim in shape) WriteField(writer, 1, new DimensionMessage(dim));
        }
    }

    /// <summary><c>TensorShapeProto.Dimension</c>: <c>dim_value</c> (1) or <c>dim_param</c> (2).</summary>
    private sealed class DimensionMessage(OnnxDimension dim) : OnnxMessage
    {
        public override long ComputeSize() =>
            dim.Parameter is { } name ? ProtobufWriter.StringFieldSize(2, name)
            : dim.Value is { } value ? ProtobufWriter.Int64FieldSize(1, value)
            : 0;

        public override void WriteTo(ProtobufWriter writer)
        {
            if (dim.Parameter is { } name) writer.WriteString(2, name);
            else if (dim.Value is { } value) writer.WriteInt64(1, value);
        }
    }
}
