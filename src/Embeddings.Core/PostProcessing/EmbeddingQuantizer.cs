namespace Embeddings.PostProcessing;

/// <summary>
/// Quantizes float embeddings exactly as sentence-transformers' <c>quantize_embeddings</c> does, so
/// indexes built in Python and in .NET agree byte for byte.
/// </summary>
/// <remarks>
/// Int8/UInt8 map each dimension's range [min, max] onto 256 buckets. The ranges should come from a
/// calibration set (<see cref="ComputeRanges"/> over many embeddings, kept with the index); computing them
/// from the embeddings being quantized makes the result depend on which embeddings were quantized together.
/// The arithmetic is float32, like numpy on float32 embeddings.
/// </remarks>
public static class EmbeddingQuantizer
{
    /// <summary>Per-dimension minimum and maximum over the rows of a row-major matrix.</summary>
    /// <param name="embeddings">[rows × dimension] values.</param>
    /// <param name="dimension">The row width.</param>
    /// <returns>The minima and maxima, each <paramref name="dimension"/> long.</returns>
    public static (float[] Minimum, float[] Maximum) ComputeRanges(ReadOnlySpan<float> embeddings, int dimension)
    {
        int rows = CheckShape(embeddings, dimension);
        if (rows == 0) throw new ArgumentException("ranges need at least one embedding.", nameof(embeddings));
        var minimum = embeddings[..dimension].ToArray();
        var maximum = embeddings[..dimension].ToArray();
        for (int r = 1; r < rows; r++)
        {
            var row = embeddings.Slice(r * dimension, dimension);
            System.Numerics.Tensors.TensorPrimitives.Min(minimum, row, minimum);
            System.Numerics.Tensors.TensorPrimitives.Max(maximum, row, maximum);
        }
        return (minimum, maximum);
    }

    /// <summary>The bytes per row <paramref name="precision"/> produces for <paramref name="dimension"/> dimensions.</summary>
    /// <param name="precision">The encoding.</param>
    /// <param name="dimension">The float dimension.</param>
    public static int BytesPerRow(QuantizationPrecision precision, int dimension) =>
        precision is QuantizationPrecision.Binary or QuantizationPrecision.UBinary ? (dimension + 7) / 8 : dimension;

    /// <summary>Quantizes a row-major [rows × dimension] matrix.</summary>
    /// <param name="embeddings">The float embeddings.</param>
    /// <param name="dimension">The row width.</param>
    /// <param name="precision">The encoding.</param>
    /// <param name="destination">rows × <see cref="BytesPerRow"/> bytes. For Int8 and Binary the bytes are
    /// two's-complement signed values (reinterpret as <see cref="sbyte"/>).</param>
    /// <param name="minimum">Per-dimension minimum for Int8/UInt8; null computes it from <paramref name="embeddings"/>.</param>
    /// <param name="maximum">Per-dimension maximum for Int8/UInt8; null computes it from <paramref name="embeddings"/>.</param>
    public static void Quantize(ReadOnlySpan<float> embeddings, int dimension, QuantizationPrecision precision, Span<byte> destination,
        ReadOnlySpan<float> minimum = default, ReadOnlySpan<float> maximum = default)
    {
        int rows = CheckShape(embeddings, dimension);
        int width = BytesPerRow(precision, dimension);
        if (destination.Length != rows * width)
            throw new ArgumentException($"destination holds {destination.Length} bytes; {rows} rows need {rows * width}.", nameof(destination));
        switch (precision)
        {
            case QuantizationPrecision.Int8:
            case QuantizationPrecision.UInt8:
                QuantizeBuckets(embeddings, dimension, precision == QuantizationPrecision.Int8, destination, minimum, maximum);
                break;
            case QuantizationPrecision.Binary:
            case QuantizationPrecision.UBinary:
                PackBits(embeddings, dimension, precision == QuantizationPrecision.Binary, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision.");
        }
    }

    private static void QuantizeBuckets(ReadOnlySpan<float> embeddings, int dimension, bool signed, Span<byte> destination,
        ReadOnlySpan<float> minimum, ReadOnlySpan<float> maximum)
    {
        if (minimum.IsEmpty != maximum.IsEmpty) throw new ArgumentException("give both minimum and maximum, or neither.", nameof(maximum));
        if (minimum.IsEmpty)
        {
            if (embeddings.IsEmpty) return;
            var (computedMin, computedMax) = ComputeRanges(embeddings, dimension);
            QuantizeBuckets(embeddings, dimension, signed, destination, computedMin, computedMax);
            return;
        }
        if (minimum.Length != dimension || maximum.Length != dimension)
            throw new ArgumentException($"ranges must have {dimension} values each.", nameof(minimum));
        for (int i = 0; i < embeddings.Length; i++)
        {
            int d = i % dimension;
            float step = (maximum[d] - minimum[d]) / 255f;
            if (step == 0f) step = 1f;
            float bucket = MathF.Floor((embeddings[i] - minimum[d]) / step);
            bucket = float.IsNaN(bucket) ? 0f : Math.Clamp(bucket, 0f, 255f);
            destination[i] = signed ? unchecked((byte)(sbyte)(bucket - 128f)) : (byte)bucket;
        }
    }

    private static void PackBits(ReadOnlySpan<float> embeddings, int dimension, bool signed, Span<byte> destination)
    {
        int width = (dimension + 7) / 8;
        destination.Clear();
        for (int r = 0; r * dimension < embeddings.Length; r++)
        {
            var row = embeddings.Slice(r * dimension, dimension);
            var packed = destination.Slice(r * width, width);
            for (int d = 0; d < dimension; d++)
                if (row[d] > 0f) packed[d >> 3] |= (byte)(0x80 >> (d & 7));
            if (signed)
                for (int b = 0; b < width; b++) packed[b] = unchecked((byte)(sbyte)(packed[b] - 128));
        }
    }

    private static int CheckShape(ReadOnlySpan<float> embeddings, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (embeddings.Length % dimension != 0)
            throw new ArgumentException($"{embeddings.Length} values are not a whole number of {dimension}-dimensional rows.", nameof(embeddings));
        return embeddings.Length / dimension;
    }
}
