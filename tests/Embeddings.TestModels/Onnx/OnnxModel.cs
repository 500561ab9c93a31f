namespace Embeddings.TestModels.Onnx;

/// <summary>
/// An ONNX <c>ModelProto</c>: IR version, operator set and graph. <see cref="Save(string)"/> streams the
/// encoding to disk; initializer arrays are read in place, never copied.
/// </summary>
public sealed class OnnxModel : OnnxMessage
{
    /// <summary>The IR version written (8: ONNX 1.10 onward, read by every current runtime).</summary>
    public const long DefaultIrVersion = 8;

    /// <summary>The version of the default <c>ai.onnx</c> operator set written (17: LayerNormalization exists).</summary>
    public const long DefaultOpsetVersion = 17;

    private const int IrVersionField = 1;
    private const int ProducerNameField = 2;
    private const int ProducerVersionField = 3;
    private const int GraphField = 7;
    private const int OpsetImportField = 8;

    /// <summary>Wraps <paramref name="graph"/> in a model.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="opsetVersion">The <c>ai.onnx</c> operator set version.</param>
    /// <param name="irVersion">The IR version.</param>
    public OnnxModel(OnnxGraph graph, long opsetVersion = DefaultOpsetVersion, long irVersion = DefaultIrVersion)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(irVersion, 1);
        Graph = graph;
        OpsetVersion = opsetVersion;
        IrVersion = irVersion;
    }

    /// <summary>The graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The <c>ai.onnx</c> operator set version.</summary>
    public long OpsetVersion { get; }

    /// <summary>The IR version.</summary>
    public long IrVersion { get; }

    /// <summary>The name written as <c>producer_name</c>.</summary>
    public string ProducerName { get; init; } = "Embeddings.TestModels";

    /// <summary>The version written as <c>producer_version</c>.</summary>
    public string ProducerVersion { get; init; } = "1";

    /// <summary>
    /// Writes the model to <paramref name="path"/>, replacing any file there. The bytes go to a temporary
    /// file beside it first, so an interrupted write never leaves a truncated model under the real name.
    /// </summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var partial = path + ".partial";
        try
        {
            using (var writer = new ProtobufWriter(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20)))
                WriteTo(writer);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Writes the model to <paramref name="stream"/> and leaves it open.</summary>
    /// <param name="stream">A writable stream.</param>
    public void Save(Stream stream)
    {
        using var writer = new ProtobufWriter(stream, leaveOpen: true);
        WriteTo(writer);
    }

    /// <summary>The encoded model as bytes (for small models and tests).</summary>
    public byte[] ToBytes()
    {
        using var memory = new MemoryStream();
        Save(memory);
        return memory.ToArray();
    }

    /// <inheritdoc/>
    public override long ComputeSize() =>
        ProtobufWriter.Int64FieldSize(IrVersionField, IrVersion)
        + ProtobufWriter.StringFieldSize(ProducerNameField, ProducerName)
        + ProtobufWriter.StringFieldSize(ProducerVersionField, ProducerVersion)
        + FieldSize(GraphField, Graph)
        + FieldSize(OpsetImportField, new OperatorSetId(OpsetVersion));

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The model would exceed the 2 GiB that protobuf readers accept.</exception>
    public override void WriteTo(ProtobufWriter writer)
    {
        // Runtimes parse the whole file as one protobuf message, which protobuf caps at 2^31 - 1 bytes; larger
        // models need external data files, which this writer does not produce.
        long size = ComputeSize();
        if (size > int.MaxValue)
            throw new InvalidOperationException(
                $"The model would be {size:N0} bytes; an ONNX file without external data is limited to {int.MaxValue:N0}.");
        writer.WriteInt64(IrVersionField, IrVersion);
        writer.WriteString(ProducerNameField, ProducerName);
        writer.WriteString(ProducerVersionField, ProducerVersion);
        WriteField(writer, GraphField, Graph);
        WriteField(writer, OpsetImportField, new OperatorSetId(OpsetVersion));
    }

    /// <summary><c>OperatorSetIdProto</c> for the default domain: <c>version</c> (2) only, as an absent domain means <c>ai.onnx</c>.</summary>
    private sealed class OperatorSetId(long version) : OnnxMessage
    {
        public override long ComputeSize() => ProtobufWriter.Int64FieldSize(2, version);

        public override void WriteTo(ProtobufWriter writer) => writer.WriteInt64(2, version);
    }
}
