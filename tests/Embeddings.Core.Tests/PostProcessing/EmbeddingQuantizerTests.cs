using Embeddings.PostProcessing;

namespace Embeddings.Core.Tests.PostProcessing;

public class EmbeddingQuantizerTests
{
    [Fact]
    public void Int8_and_uint8_bucket_each_dimension_between_its_range()
    {
        // Two dimensions with ranges [0, 2.55] and [-1, 1]; step 0.01 and 2/255.
        float[] embeddings = [0f, -1f, 1.2751f, 0f, 2.55f, 1f, 9f, -9f];
        float[] min = [0f, -1f], max = [2.55f, 1f];
        var u8 = new byte[8];
        EmbeddingQuantizer.Quantize(embeddings, 2, QuantizationPrecision.UInt8, u8, min, max);
        // floor((x - min) / step), clipped to [0, 255], in float32 as numpy computes it on float32 embeddings:
        // for [-1, 1] the step 2/255 rounds up, so the maximum lands at 254.99998 and floors to bucket 254.
        Assert.Equal(new byte[] { 0, 0, 127, 127, 255, 254, 255, 0 }, u8);
        var i8 = new byte[8];
        EmbeddingQuantizer.Quantize(embeddings, 2, QuantizationPrecision.Int8, i8, min, max);
        Assert.Equal(new sbyte[] { -128, -128, -1, -1, 127, 126, 127, -128 }, i8.Select(b => (sbyte)b).ToArray());
    }

    [Fact]
    public void A_constant_dimension_uses_a_step_of_one()
    {
        float[] embeddings = [3f, 3f, 3f];
        var got = new byte[3];
        EmbeddingQuantizer.Quantize(embeddings, 1, QuantizationPrecision.UInt8, got);
        Assert.Equal(new byte[] { 0, 0, 0 }, got);
    }

    [Fact]
    public void Ranges_default_to_the_embeddings_themselves()
    {
        float[] embeddings = [0f, 10f, 5f, 20f];
        var (min, max) = EmbeddingQuantizer.ComputeRanges(embeddings, 2);
        Assert.Equal(new[] { 0f, 10f }, min);
        Assert.Equal(new[] { 5f, 20f }, max);
        var got = new byte[4];
        EmbeddingQuantizer.Quantize(embeddings, 2, QuantizationPrecision.UInt8, got);
        // 5 / float32(5 / 255) = 254.99998 in float32, and likewise for the second dimension.
        Assert.Equal(new byte[] { 0, 0, 254, 254 }, got);
    }

    [Fact]
    public void Binary_packs_positive_signs_high_bit_first()
    {
        // 10 dimensions -> 2 bytes; bits 1,0,1,1,0,0,0,1 | 1,0 (padded with zeros).
        float[] row = [0.5f, -1f, 2f, 0.1f, 0f, -0.2f, -3f, 7f, 1f, -1f];
        var ubinary = new byte[2];
        EmbeddingQuantizer.Quantize(row, 10, QuantizationPrecision.UBinary, ubinary);
        Assert.Equal(new byte[] { 0b1011_0001, 0b1000_0000 }, ubinary);
        var binary = new byte[2];
        EmbeddingQuantizer.Quantize(row, 10, QuantizationPrecision.Binary, binary);
        Assert.Equal(new sbyte[] { 0b1011_0001 - 128, 0b1000_0000 - 128 }, binary.Select(b => (sbyte)b).ToArray());
    }

    [Fact]
    public void Shapes_are_checked()
    {
        Assert.Throws<ArgumentException>(() => EmbeddingQuantizer.Quantize(new float[5], 2, QuantizationPrecision.UInt8, new byte[5]));
        Assert.Throws<ArgumentException>(() => EmbeddingQuantizer.Quantize(new float[4], 2, QuantizationPrecision.UBinary, new byte[4]));
        Assert.Throws<ArgumentException>(() => EmbeddingQuantizer.Quantize(new float[4], 2, QuantizationPrecision.Int8, new byte[4], new float[2], default));
        Assert.Equal(48, EmbeddingQuantizer.BytesPerRow(QuantizationPrecision.Binary, 384));
    }
}
