using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Embeddings.Cli.Help;
using Embeddings.PostProcessing;

namespace Embeddings.Cli.Output;

/// <summary>
/// How <c>embed</c> writes a vector: <c>--precision float|int8|uint8|binary|ubinary</c> (sentence-transformers'
/// quantize_embeddings encodings) and <c>--encoding array|base64</c> (OpenAI's encoding_format: base64 of the
/// little-endian float32 values, or of the quantized bytes).
/// </summary>
internal sealed class EmbeddingFormat
{
    public static readonly CliOption PrecisionOption = new("--precision", "float|int8|uint8|binary|ubinary",
        "float values (default), one byte per dimension (int8, uint8), or one bit per dimension packed 8 per byte, first dimension in the high bit (binary, signed bytes; ubinary, unsigned); "
        + "int8/uint8 map each dimension's range over the whole input onto 256 buckets, so the whole input is embedded before anything is written");

    public static readonly CliOption EncodingOption = new("--encoding", "array|base64",
        "a JSON array of numbers (default), or a base64 string of the little-endian float32 values (float) or of the bytes (other precisions)");

    public const string OutputShapes =
        "{\"embedding\":[0.0123,-0.0456,...]}         float, one number per dimension\n"
        + "{\"embedding\":[-128,...,127]}                int8 (one per dimension) or binary (one per 8 dimensions)\n"
        + "{\"embedding\":[0,...,255]}                   uint8 (one per dimension) or ubinary (one per 8 dimensions)\n"
        + "{\"embedding\":\"AAB4QQ...\"}                   --encoding base64: the float32 (little-endian) or byte values";

    private EmbeddingFormat(QuantizationPrecision? precision, bool base64)
    {
        Precision = precision;
        Base64 = base64;
    }

    /// <summary>The quantized encoding, or null for float values.</summary>
    public QuantizationPrecision? Precision { get; }

    public bool Base64 { get; }

    /// <summary>Whether the whole input must be embedded first (int8 and uint8 take their ranges from all of it).</summary>
    public bool NeedsWholeInput => Precision is QuantizationPrecision.Int8 or QuantizationPrecision.UInt8;

    public static EmbeddingFormat Parse(CommandLine args)
    {
        QuantizationPrecision? precision = args.Value("--precision") switch
        {
            null or "float" => null,
            "int8" => QuantizationPrecision.Int8,
            "uint8" => QuantizationPrecision.UInt8,
            "binary" => QuantizationPrecision.Binary,
            "ubinary" => QuantizationPrecision.UBinary,
            var other => throw new CliException($"unknown --precision '{other}'; use float, int8, uint8, binary or ubinary", 2),
        };
        bool base64 = args.Value("--encoding") switch
        {
            null or "array" => false,
            "base64" => true,
            var other => throw new CliException($"unknown --encoding '{other}'; use array or base64", 2),
        };
        return new EmbeddingFormat(precision, base64);
    }

    /// <summary>Writes the vectors of a [rows × dimensions] matrix, one output line each.</summary>
    public void WriteRows(JsonLineWriter writer, ReadOnlySpan<float> vectors, int dimensions)
    {
        if (dimensions == 0) return;
        int rows = vectors.Length / dimensions;
        if (Precision is not { } precision)
        {
            for (int r = 0; r < rows; r++) WriteFloats(writer, vectors.Slice(r * dimensions, dimensions));
            return;
        }
        int width = EmbeddingQuantizer.BytesPerRow(precision, dimensions);
        var bytes = new byte[rows * width];
        EmbeddingQuantizer.Quantize(vectors, dimensions, precision, bytes);
        bool signed = precision is QuantizationPrecision.Int8 or QuantizationPrecision.Binary;
        for (int r = 0; r < rows; r++)
        {
            var row = bytes.AsSpan(r * width, width);
            writer.BeginObject();
            if (Base64) writer.StringValue("embedding", Convert.ToBase64String(row));
            else writer.ByteArray("embedding", row, signed);
            writer.EndObject();
        }
    }

    private void WriteFloats(JsonLineWriter writer, ReadOnlySpan<float> vector)
    {
        writer.BeginObject();
        if (Base64) writer.StringValue("embedding", Convert.ToBase64String(LittleEndianBytes(vector)));
        else writer.FloatArray("embedding", vector);
        writer.EndObject();
    }

    private static byte[] LittleEndianBytes(ReadOnlySpan<float> vector)
    {
        if (BitConverter.IsLittleEndian) return MemoryMarshal.AsBytes(vector).ToArray();
        var bytes = new byte[vector.Length * sizeof(float)];
        for (int i = 0; i < vector.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return bytes;
    }
}
