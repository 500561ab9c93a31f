namespace Embeddings.TestModels.Onnx;

/// <summary>
/// An ONNX protobuf message that can report its encoded size before writing itself, so that a parent
/// writes the length prefix first and the payload streams after it.
/// </summary>
public abstract class OnnxMessage
{
    /// <summary>The size of the encoded message in bytes (without a key or length prefix).</summary>
    public abstract long ComputeSize();

    /// <summary>Writes the encoded message (without a key or length prefix).</summary>
    /// <param name="writer">Where to write.</param>
    public abstract void WriteTo(ProtobufWriter writer);

    /// <summary>The size of <paramref name="message"/> written as field <paramref name="fieldNumber"/>, key and length included.</summary>
    /// <param name="fieldNumber">The field number in the parent message.</param>
    /// <param name="message">The nested message.</param>
    protected static long FieldSize(int fieldNumber, OnnxMessage message) =>
        ProtobufWriter.LengthDelimitedFieldSize(fieldNumber, message.ComputeSize());

    /// <summary>Writes <paramref name="message"/> as field <paramref name="fieldNumber"/> of the parent message.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="fieldNumber">The field number in the parent message.</param>
    /// <param name="message">The nested message.</param>
    protected static void WriteField(ProtobufWriter writer, int fieldNumber, OnnxMessage message)
    {
        long size = message.ComputeSize();
        writer.WriteLengthDelimitedHeader(fieldNumber, size);
        long start = writer.Position;
        message.WriteTo(writer);
        // A size that disagrees with what was written would corrupt every byte after it, so stop here.
        if (writer.Position - start != size)
            throw new InvalidOperationException(
                $"{message.GetType().Name} announced {size} bytes but wrote {writer.Position - start}.");
    }
}
