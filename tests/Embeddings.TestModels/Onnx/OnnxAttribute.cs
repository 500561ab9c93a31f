using System.Text;

namespace Embeddings.TestModels.Onnx;

/// <summary>An ONNX <c>AttributeProto</c>: a named int, float, string, or list of ints or floats on a node.</summary>
public sealed class OnnxAttribute : OnnxMessage
{
    private const int NameField = 1;
    private const int FloatField = 2;
    private const int IntField = 3;
    private const int StringField = 4;
    private const int FloatsField = 7;
    private const int IntsField = 8;
    private const int TypeField = 20;

    private OnnxAttribute(string name, OnnxAttributeType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
    }

    /// <summary>The attribute's name, e.g. <c>axis</c>.</summary>
    public string Name { get; }

    /// <summary>Which value the attribute holds.</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Int"/> attribute.</summary>
    public long IntValue { get; private init; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Float"/> attribute.</summary>
    public float FloatValue { get; private init; }

    /// <summary>The value of a <see cref="OnnxAttributeType.String"/> attribute.</summary>
    public string StringValue { get; private init; } = "";

    /// <summary>The values of an <see cref="OnnxAttributeType.Ints"/> attribute.</summary>
    public IReadOnlyList<long> IntsValue { get; private init; } = [];

    /// <summary>The values of a <see cref="OnnxAttributeType.Floats"/> attribute.</summary>
    public IReadOnlyList<float> FloatsValue { get; private init; } = [];

    /// <summary>An int attribute.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int) { IntValue = value };

    /// <summary>A float attribute.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float) { FloatValue = value };

    /// <summary>A string attribute (written as UTF-8).</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public static OnnxAttribute String(string name, string value) =>
        new(name, OnnxAttributeType.String) { StringValue = value ?? throw new ArgumentNullException(nameof(value)) };

    /// <summary>A list-of-ints attribute.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static OnnxAttribute Ints(string name, params long[] values) =>
        new(name, OnnxAttributeType.Ints) { IntsValue = [.. values] };

    /// <summary>A list-of-floats attribute.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static OnnxAttribute Floats(string name, params float[] values) =>
        new(name, OnnxAttributeType.Floats) { FloatsValue = [.. values] };

    /// <inheritdoc/>
    public override long ComputeSize()
    {
        long size = ProtobufWriter.StringFieldSize(NameField, Name);
        size += Type switch
        {
            OnnxAttributeType.Float => ProtobufWriter.FloatFieldSize(FloatField),
            OnnxAttributeType.Int => ProtobufWriter.Int64FieldSize(IntField, IntValue),
            OnnxAttributeType.String => ProtobufWriter.LengthDelimitedFieldSize(StringField, Encoding.UTF8.GetByteCount(StringValue)),
            OnnxAttributeType.Floats => FloatsValue.Count * ProtobufWriter.FloatFieldSize(FloatsField),
            OnnxAttributeType.Ints => IntsValue.Sum(value => ProtobufWriter.Int64FieldSize(IntsField, value)),
            _ => throw new InvalidOperationException($"Attribute '{Name}' has an unsupported type {Type}."),
        };
        size += ProtobufWriter.Int64FieldSize(TypeField, (long)Type);
        return size;
    }

    /// <inheritdoc/>
    public override void WriteTo(ProtobufWriter writer)
    {
        writer.WriteString(NameField, Name);
        switch (Type)
        {
            case OnnxAttributeType.Float: writer.WriteFloat(FloatField, FloatValue); break;
            case OnnxAttributeType.Int: writer.WriteInt64(IntField, IntValue); break;
            case OnnxAttributeType.String: writer.WriteString(StringField, StringValue); break;
            // floats and ints are proto2 repeated fields without [packed = true]: one key per element.
            case OnnxAttributeType.Floats: foreach (var value in FloatsValue) writer.WriteFloat(FloatsField, value); break;
            case OnnxAttributeType.Ints: foreach (var value in IntsValue) writer.WriteInt64(IntsField, value); break;
            default: throw new InvalidOperationException($"Attribute '{Name}' has an unsupported type {Type}.");
        }
        writer.WriteInt64(TypeField, (long)Type);
    }
}

/// <summary>ONNX attribute types (the values of <c>AttributeProto.AttributeType</c>) this writer supports.</summary>
public enum OnnxAttributeType
{
    /// <summary>A single float (<c>f</c>).</summary>
    Float = 1,
    /// <summary>A single int64 (<c>i</c>).</summary>
    Int = 2,
    /// <summary>A UTF-8 string (<c>s</c>).</summary>
    String = 3,
    /// <summary>A list of floats (<c>floats</c>).</summary>
    Floats = 6,
    /// <summary>A list of int64 (<c>ints</c>).</summary>
    Ints = 7,
}
