using Embeddings.MultiVector;
using Embeddings.PostProcessing;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.MultiVector;

public class MultiVectorCompressionTests
{
    private const int Dimensions = 64;

    private static MultiVectorEmbedding RandomRows(Random random, int count)
    {
        var values = new float[count * Dimensions];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() - 0.5);
        VectorNormalization.NormalizeRowsInPlace(values, Dimensions);
        return new MultiVectorEmbedding(new int[count], new int[count], new TokenOffset[count], values, Dimensions, truncated: false);
    }

    [Theory]
    [InlineData(QuantizationPrecision.Int8)]
    [InlineData(QuantizationPrecision.UInt8)]
    public void Byte_rows_decode_within_half_a_bucket_and_keep_maxsim_close(QuantizationPrecision precision)
    {
        var random = new Random(11);
        var document = RandomRows(random, 20);
        var query = RandomRows(random, 8);
        var (min, max) = EmbeddingQuantizer.ComputeRanges(document.Vectors.Span, Dimensions);
        var bytes = MultiVectorCompression.Compress(document, precision, min, max);
        Assert.Equal(20 * Dimensions, bytes.Length); // 4× smaller than floats
        var decoded = MultiVectorCompression.Decompress(bytes, Dimensions, precision, min, max);
        var original = document.Vectors.Span;
        for (int i = 0; i < decoded.Length; i++)
        {
            int d = i % Dimensions;
            Assert.True(Math.Abs(original[i] - decoded[i]) <= (max[d] - min[d]) / 510f + 1e-6f, $"value {i}");
        }
        float exact = MaxSim.Score(query, document);
        Assert.True(Math.Abs(exact - MultiVectorCompression.Score(query, bytes, precision, min, max)) < 0.02f * query.Count);
    }

    [Theory]
    [InlineData(QuantizationPrecision.Binary)]
    [InlineData(QuantizationPrecision.UBinary)]
    public void Binary_rows_keep_the_signs_as_unit_rows(QuantizationPrecision precision)
    {
        var document = RandomRows(new Random(5), 3);
        var bytes = MultiVectorCompression.Compress(document, precision);
        Assert.Equal(3 * Dimensions / 8, bytes.Length); // 32× smaller than floats
        var decoded = MultiVectorCompression.Decompress(bytes, Dimensions, precision);
        var original = document.Vectors.Span;
        for (int i = 0; i < decoded.Length; i++)
            Assert.Equal(original[i] > 0 ? 1f / MathF.Sqrt(Dimensions) : -1f / MathF.Sqrt(Dimensions), decoded[i], 6);
    }

    [Fact]
    public void Byte_rows_without_ranges_or_partial_rows_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MultiVectorCompression.Decompress(new byte[Dimensions], Dimensions, QuantizationPrecision.Int8));
        Assert.Throws<ArgumentException>(() => MultiVectorCompression.Decompress(new byte[7], Dimensions, QuantizationPrecision.Binary));
    }
}
