using System.Globalization;
using Embeddings.TestModels;
using Embeddings.Tokenization.Serialization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Unigram scores are read as the reference reads them, which can differ from correct rounding.</summary>
public sealed class ReferenceFloatParserTests
{
    [Theory]
    [InlineData("-2.0122928619384766", -2.012292861938477)]
    [InlineData("-3.9598512649536133", -3.9598512649536137)]
    [InlineData("-12.5", -12.5)]
    [InlineData("0.1", 0.1)]
    [InlineData("123", 123.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("-2.5E-3", -0.0025)]
    [InlineData("0", 0.0)]
    public void Numbers_read_like_the_reference_json_parser(string text, double expected)
    {
        Assert.True(ReferenceFloatParser.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void The_reference_reading_can_be_one_unit_off_correct_rounding()
    {
        ReferenceFloatParser.TryParse("-2.0122928619384766", out var reference);
        Assert.NotEqual(double.Parse("-2.0122928619384766", CultureInfo.InvariantCulture), reference);
        Assert.Equal(1, Math.Abs(BitConverter.DoubleToInt64Bits(reference) - BitConverter.DoubleToInt64Bits(-2.0122928619384766)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData("1e")]
    [InlineData("abc")]
    [InlineData("1.5x")]
    public void Non_numbers_are_rejected(string text) => Assert.False(ReferenceFloatParser.TryParse(text, out _));

    [FixtureFact]
    public void Unigram_ties_break_as_in_the_reference()
    {
        // "-" + "---" and "---" + "-" score the same on paper; the reference's reading of the scores decides.
        var t5 = ReferenceParityTests.LoadTokenizer("t5");
        Assert.Equal(["\u2581", "---", "---", "-", "</s>"], t5.Encode("-------").Tokens);
    }
}
