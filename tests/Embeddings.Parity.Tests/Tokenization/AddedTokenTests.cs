using Embeddings.TestModels;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Added tokens: matching in raw or normalized text, single_word, lstrip/rstrip, ids and vocabulary size.</summary>
public sealed class AddedTokenTests
{
    private static readonly string Model = Probe.WordLevel("[UNK]", "a", "b", "cab", "hello");
    private const string Lowercase = """{"type": "Lowercase"}""";
    private const string Split = """{"type": "WhitespaceSplit"}""";

    [Fact]
    public void Special_tokens_match_the_raw_text_and_normalized_ones_the_normalized_text()
    {
        var t = Probe.Tokenizer(Model, normalizer: Lowercase, preTokenizer: Split, addedTokens: """
            [{"id": 5, "content": "[CLS]", "special": true, "normalized": false},
             {"id": 6, "content": "HELLO", "special": false, "normalized": true}]
            """);
        var e = t.Encode("[CLS] HELLO [cls]");
        Assert.Equal(["[CLS]", "hello", "[UNK]"], e.Tokens);
        // Ids come from the order of registration after the model's five entries, not from the file.
        Assert.Equal([5, 6, 0], e.Ids);
        // The normalized form of an added token is what its id decodes to.
        Assert.Equal("hello", t.IdToToken(6));
    }

    [Fact]
    public void Ids_come_from_the_vocabulary_or_follow_it()
    {
        var t = Probe.Tokenizer(Model, addedTokens: """
            [{"id": 99, "content": "cab", "special": false}, {"id": 99, "content": "<new>", "special": true}, {"id": 99, "content": "<two>", "special": true}]
            """);
        Assert.Equal(2, t.TokenToId("b"));
        Assert.Equal(3, t.TokenToId("cab"));
        Assert.Equal(5, t.TokenToId("<new>"));
        Assert.Equal(6, t.TokenToId("<two>"));
        Assert.Equal(7, t.VocabularySize);
        Assert.Equal([3, 5, 6], t.AddedTokens.Select(a => a.Id));
    }

    [Fact]
    public void Single_word_tokens_only_match_outside_words()
    {
        var t = Probe.Tokenizer(Model, preTokenizer: Split, addedTokens: """[{"id": 7, "content": "ab", "single_word": true}]""");
        var e = t.Encode("ab cab ab.");
        Assert.Equal(["ab", "cab", "ab", "[UNK]"], e.Tokens);
    }

    [Fact]
    public void Left_and_right_strip_take_the_surrounding_whitespace()
    {
        var t = Probe.Tokenizer(Model, preTokenizer: Split, addedTokens: """
            [{"id": 7, "content": "<mask>", "lstrip": true, "rstrip": true, "special": true}]
            """);
        var e = t.Encode("a  <mask>  b");
        Assert.Equal(["a", "  <mask>  ", "b"], e.Tokens);
        Assert.Equal([(0, 1), (1, 11), (11, 12)], e.Offsets.Select(o => (o.Start, o.End)));
    }

    [Fact]
    public void The_longest_added_token_wins_at_the_leftmost_position()
    {
        var t = Probe.Tokenizer(Model, addedTokens: """
            [{"id": 7, "content": "<a>", "special": true}, {"id": 8, "content": "<a><b>", "special": true}, {"id": 9, "content": "<b>", "special": true}]
            """);
        Assert.Equal(["<a><b>", "<b>"], t.Encode("<a><b><b>").Tokens);
    }

    [FixtureFact]
    public void Vocabulary_sizes_match_the_reference()
    {
        var expected = new Dictionary<string, int>
        {
            ["bert-uncased"] = 30522, ["bert-multilingual-cased"] = 119547, ["mpnet"] = 30527, ["roberta"] = 50265,
            ["modernbert"] = 50368, ["qwen"] = 151665, ["t5"] = 32100,
        };
        foreach (var (family, size) in expected) Assert.Equal(size, ReferenceParityTests.LoadTokenizer(family).VocabularySize);
    }
}
