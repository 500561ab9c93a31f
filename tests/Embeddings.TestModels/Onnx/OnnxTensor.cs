namespace Embeddings.TestModels.Onnx;

/// <summary>
/// An ONNX <c>TensorProto</c>: a named constant (an initializer). The tensor views the caller's array and
/// never copies it; float data is written as little-endian <c>raw_data</c>, int64 data as packed <c>int64_data</c>.
/// </summary>
public sealed class OnnxTensor : OnnxMessage
{
    private const int DimsField = 1;
    private const int DataTypeField = 2;
    private const int Int64DataField = 7;
    private const int NameField = 8;
    private const int RawDataField = 9;

    private readonly ReadOnlyMemory<float> _floats;
    private readonly ReadOnlyMemory<long> _int64s;

    private OnnxTensor(string name, long[] dims, OnnxDataType dataType, ReadOnlyMemory<float> floats, ReadOnlyMemory<long> int64s)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dims);
        long count = 1;
        foreach (var dim in dims)
        {
            if (dim < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension ({dim}).", nameof(dims));
            count *= dim;
        }
        int actual = dataType == OnnxDataType.Float ? floats.Length : int64s.Length;
        if (actual != count)
            throw new ArgumentException(
                $"Tensor '{name}' has shape [{string.Join(", ", dims)}] ({count} elements) but {actual} values.", nameof(dims));
        Name = name;
        Dims = dims;
        DataType = dataType;
        _floats = floats;
        _int64s = int64s;
    }

    /// <summary>The tensor's name, by which nodes refer to it.</summary>
    public string Name { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>The element type.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>The float values (empty unless <see cref="DataType"/> is <see cref="OnnxDataType.Float"/>).</summary>
    public ReadOnlyMemory<float> FloatData => _floats;

    /// <summary>The int64 values (empty unless <see cref="DataType"/> is <see cref="OnnxDataType.Int64"/>).</summary>
    public ReadOnlyMemory<long> Int64Data => _int64s;

    /// <summary>A float32 tensor over <paramref name="data"/> (row-major, not copied).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dims">The dimensions; their product must equal the number of values.</param>
    /// <param name="data">The values.</param>
    public static OnnxTensor Float(string name, long[] dims, ReadOnlyMemory<float> data) =>
        new(name, dims, OnnxDataType.Float, data, default);

    /// <summary>An int64 tensor over <paramref name="data"/> (row-major, not copied).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dims">The dimensions; their product must equal the number of values.</param>
    /// <param name="data">The values.</param>
    public static OnnxTensor Int64(string name, long[] dims, ReadOnlyMemory<long> data) =>
        new(name, dims, OnnxDataType.Int64, default, data);

    /// <inheritdoc/>
    public override long ComputeSize()
    {
        long size = 0;
        foreach (var dim in Dims) size += ProtobufWriter.Int64FieldSize(DimsField, dim);
        size += ProtobufWriter.Int64FieldSize(DataTypeField, (long)DataType);
        size += DataType == OnnxDataType.Float
            ? ProtobufWriter.LengthDelimitedFieldSize(RawDataField, (long)_floats.Length * sizeof(float))
            : ProtobufWriter.LengthDelimitedFieldSize(Int64DataField, ProtobufWriter.PackedInt64PayloadSize(_int64s.Span));
        size += ProtobufWriter.StringFieldSize(NameField, Name);
        return size;
    }

    /// <inheritdoc/>
    public override void WriteTo(ProtobufWriter writer)
    {
        // dims is a proto2 repeated field without [packed = true]: one key per element.
        foreach (var dim in Dims) writer.WriteInt64(DimsField, dim);
        writer.WriteInt64(DataTypeField, (long)DataType);
        if (DataType == OnnxDataType.Int64) writer.WritePackedInt64(Int64DataField, _int64s.Span);
        writer.WriteString(NameField, Name);
        if (DataType == OnnxDataType.Float) writer.WriteFloatsAsBytes(RawDataField, _floats.Span);
    }
}
