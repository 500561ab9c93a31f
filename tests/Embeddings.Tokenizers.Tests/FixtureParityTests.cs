using Embeddings.TestModels;

namespace Embeddings.Tokenizers.Tests;

/// <summary>
/// Through the Microsoft.ML.Tokenizers API, the adapter gives Hugging Face's ids, tokens, offsets and decoded text
/// on every tokenizer fixture family.
/// </summary>
public sealed class FixtureParityTests
{
    public static TheoryData<string> Families() => new(Fixtures.Available ? Fixtures.TokenizerNames() : ["bert-uncased"]);

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Ids_tokens_offsets_and_counts_equal_the_reference(string family)
    {
        var tokenizer = ReferenceCase.Tokenizer(family);
        var cases = ReferenceCase.Load(family);
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            Assert.True(c.Ids.SequenceEqual(tokenizer.EncodeToIds(c.Text, c.AddSpecialTokens)), $"{family} {c.Id}: ids");
            var tokens = tokenizer.EncodeToTokens(c.Text, c.AddSpecialTokens);
            Assert.True(c.Tokens.SequenceEqual(tokens.Select(t => t.Value)), $"{family} {c.Id}: tokens");
            Assert.True(c.Offsets.SequenceEqual(tokens.Select(t => (t.Offset.Start.Value, t.Offset.End.Value))), $"{family} {c.Id}: offsets");
            Assert.Equal(c.Ids.Length, tokenizer.CountTokens(c.Text, c.AddSpecialTokens));
            if (c.AddSpecialTokens)
            {
                // The Microsoft.ML.Tokenizers entry points: the tokenizer's default is Hugging Face's (special tokens added).
                Assert.True(c.Ids.SequenceEqual(tokenizer.EncodeToIds(c.Text)), $"{family} {c.Id}: EncodeToIds(text)");
                Assert.True(c.Ids.SequenceEqual(tokenizer.EncodeToIds(c.Text.AsSpan())), $"{family} {c.Id}: EncodeToIds(span)");
                Assert.Equal(c.Ids.Length, tokenizer.CountTokens(c.Text));
                Assert.True(c.Ids.SequenceEqual(tokenizer.EncodeToTokens(c.Text, out var normalized).Select(t => t.Id)), $"{family} {c.Id}: EncodeToTokens(text)");
                Assert.Null(normalized);
            }
        }
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Decode_equals_the_reference_and_round_trips_where_it_does(string family)
    {
        var tokenizer = ReferenceCase.Tokenizer(family);
        var roundTrips = 0;
        foreach (var c in ReferenceCase.Load(family))
        {
            Assert.True(c.Decoded == tokenizer.Decode(c.Ids), $"{family} {c.Id}: decoded");
            Assert.True(c.DecodedKeepSpecial == tokenizer.Decode(c.Ids, skipSpecialTokens: false), $"{family} {c.Id}: decoded, special tokens kept");
            if (c.Decoded == c.Text)
            {
                Assert.Equal(c.Text, tokenizer.Decode(tokenizer.EncodeToIds(c.Text)));
                roundTrips++;
            }
        }
        Assert.True(roundTrips > 0, $"{family}: no case round-trips in the reference");
    }

    [FixtureTheory]
    [MemberData(nameof(Families))]
    public void Loading_from_a_stream_gives_the_same_tokenizer(string family)
    {
        var path = ReferenceCase.TokenizerJson(family);
        using var stream = File.OpenRead(path);
        var fromStream = HuggingFaceTokenizer.Create(stream);
        var fromPath = ReferenceCase.Tokenizer(family);
        foreach (var c in ReferenceCase.Load(family).Take(20))
            Assert.Equal(fromPath.EncodeToIds(c.Text), fromStream.EncodeToIds(c.Text));
    }
}
