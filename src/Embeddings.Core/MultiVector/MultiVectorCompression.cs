using Embeddings.PostProcessing;

namespace Embeddings.MultiVector;

/// <summary>
/// Compact storage for multi-vector rows, which cost a vector per token: int8/uint8 (one byte per dimension, 4×
/// smaller) or binary (one bit per dimension, 32× smaller), encoded exactly as sentence-transformers'
/// <c>quantize_embeddings</c> (<see cref="EmbeddingQuantizer"/>), and decoded back to floats for MaxSim.
/// </summary>
/// <remarks>
/// <para>Int8/UInt8 need per-dimension ranges from a calibration sample of rows
/// (<see cref="EmbeddingQuantizer.ComputeRanges"/> over many documents' rows, stored with the index). Decoding maps
/// each byte to the centre of its bucket, so a value is off by at most half a bucket, (max − min) / 510.</para>
/// <para>Binary keeps only each value's sign. Decoding gives ±1/√dimensions per value (unit rows), so MaxSim
/// over decoded binary rows scores sign agreement: a coarse first stage, to be rescored with float rows.</para>
/// </remarks>
public static class MultiVectorCompression
{
    /// <summary>Encodes a text's rows.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="precision">The encoding.</param>
    /// <param name="minimum">Per-dimension minimum for Int8/UInt8 (from a calibration sample); empty computes it from these rows alone.</param>
    /// <param name="maximum">Per-dimension maximum for Int8/UInt8; empty computes it from these rows alone.</param>
    /// <returns><c>rows.Count × EmbeddingQuantizer.BytesPerRow(precision, rows.Dimensions)</c> bytes.</returns>
    public static byte[] Compress(MultiVectorEmbedding rows, QuantizationPrecision precision, ReadOnlySpan<float> minimum = default, ReadOnlySpan<float> maximum = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var bytes = new byte[rows.Count * EmbeddingQuantizer.BytesPerRow(precision, rows.Dimensions)];
        EmbeddingQuantizer.Quantize(rows.Vectors.Span, rows.Dimensions, precision, bytes, minimum, maximum);
        return bytes;
    }

    /// <summary>Decodes rows written by <see cref="Compress"/> into floats, row-major.</summary>
    /// <param name="data">The encoded rows.</param>
    /// <param name="dimensions">The float width of a row.</param>
    /// <param name="precision">The encoding they were written with.</param>
    /// <param name="minimum">The same minimum as when encoding (Int8/UInt8 only).</param>
    /// <param name="maximum">The same maximum as when encoding (Int8/UInt8 only).</param>
    /// <exception cref="ArgumentException">The data is not a whole number of rows, or the ranges are missing or the wrong size.</exception>
    public static float[] Decompress(ReadOnlySpan<byte> data, int dimensions, QuantizationPrecision precision,
        ReadOnlySpan<float> minimum = default, ReadOnlySpan<float> maximum = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        int width = EmbeddingQuantizer.BytesPerRow(precision, dimensions);
        if (data.Length % width != 0)
            throw new ArgumentException($"{data.Length} bytes are not a whole number of {width}-byte rows.", nameof(data));
        int rows = data.Length / width;
        var values = new float[rows * dimensions];
        switch (precision)
        {
            case QuantizationPrecision.Int8:
            case QuantizationPrecision.UInt8:
                if (minimum.Length != dimensions || maximum.Length != dimensions)
                    throw new ArgumentException($"Int8/UInt8 rows need the minimum and maximum they were encoded with ({dimensions} values each).", nameof(minimum));
                for (int i = 0; i < values.Length; i++)
                {
                    int d = i % dimensions;
                    float step = (maximum[d] - minimum[d]) / 255f;
                    if (step == 0f) step = 1f;
                    int bucket = precision == QuantizationPrecision.Int8 ? (sbyte)data[i] + 128 : data[i];
                    values[i] = minimum[d] + (bucket + 0.5f) * step;
                }
                break;
            case QuantizationPrecision.Binary:
            case QuantizationPrecision.UBinary:
                float magnitude = 1f / MathF.Sqrt(dimensions);
                for (int r = 0; r < rows; r++)
                    for (int d = 0; d < dimensions; d++)
                    {
                        int packed = data[r * width + (d >> 3)];
                        if (precision == QuantizationPrecision.Binary) packed = ((sbyte)packed + 128) & 0xFF;
                        values[r * dimensions + d] = (packed & (0x80 >> (d & 7))) != 0 ? magnitude : -magnitude;
                    }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision.");
        }
        return values;
    }

    /// <summary>MaxSim of float query rows against a document stored compressed.</summary>
    /// <param name="query">The query's rows (float).</param>
    /// <param name="document">The document's encoded rows.</param>
    /// <param name="precision">Their encoding.</param>
    /// <param name="minimum">The encoding's minimum (Int8/UInt8 only).</param>
    /// <param name="maximum">The encoding's maximum (Int8/UInt8 only).</param>
    public static float Score(MultiVectorEmbedding query, ReadOnlySpan<byte> document, QuantizationPrecision precision,
        ReadOnlySpan<float> minimum = default, ReadOnlySpan<float> maximum = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = Decompress(document, query.Dimensions, precision, minimum, maximum);
        return MaxSim.Score(query.Vectors.Span, rows, query.Dimensions);
    }
}
