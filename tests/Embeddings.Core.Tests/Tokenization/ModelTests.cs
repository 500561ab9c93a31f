namespace Embeddings.Core.Tests.Tokenization;

/// <summary>WordPiece, BPE, Unigram and WordLevel models with their options, through small tokenizer files.</summary>
public sealed class ModelTests
{
    private const string WhitespaceSplit = """{"type": "WhitespaceSplit"}""";

    [Fact]
    public void Word_piece_takes_the_longest_match_first()
    {
        var t = WordPiece(100, "[UNK]", "un", "##aff", "##able", "##a", "a");
        var e = t.Encode("unaffable a");
        Assert.Equal(["un", "##aff", "##able", "a"], e.Tokens);
        Assert.Equal([(0, 2), (2, 5), (5, 9), (10, 11)], e.Offsets.Select(o => (o.Start, o.End)));
    }

    [Fact]
    public void Word_piece_makes_unknown_words_and_overlong_words_one_unknown_token()
    {
        Assert.Equal(["[UNK]"], WordPiece(100, "[UNK]", "un").Encode("unx").Tokens);
        var e = WordPiece(5, "[UNK]", "un", "##aff", "##able").Encode("unaffable");
        Assert.Equal(["[UNK]"], e.Tokens);
        Assert.Equal((0, 9), (e.Offsets[0].Start, e.Offsets[0].End));
        Assert.Equal(["un", "##aff"], WordPiece(5, "[UNK]", "un", "##aff", "##able").Encode("unaff").Tokens);
    }

    [Fact]
    public void Word_piece_uses_a_custom_continuation_prefix()
    {
        var model = $$"""{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "@@", "max_input_chars_per_word": 100, "vocab": {{Probe.Vocab("[UNK]", "play", "@@ing")}}}""";
        Assert.Equal(["play", "@@ing"], Probe.Tokenizer(model, preTokenizer: WhitespaceSplit).Encode("playing").Tokens);
    }

    [Fact]
    public void Bpe_applies_merges_by_rank_with_string_or_pair_merges()
    {
        var vocab = Probe.Vocab("a", "b", "c", "ab", "abc", "bc");
        foreach (var merges in new[] { """["a b", "ab c", "b c"]""", """[["a", "b"], ["ab", "c"], ["b", "c"]]""" })
        {
            var t = Probe.Tokenizer($$"""{"type": "BPE", "vocab": {{vocab}}, "merges": {{merges}}}""", preTokenizer: WhitespaceSplit);
            var e = t.Encode("abc abca cbc");
            Assert.Equal(["abc", "abc", "a", "c", "bc"], e.Tokens);
            Assert.Equal([(0, 3), (4, 7), (7, 8), (9, 10), (10, 12)], e.Offsets.Select(o => (o.Start, o.End)));
        }
    }

    [Fact]
    public void Bpe_handles_continuation_prefix_and_end_of_word_suffix()
    {
        var prefixed = Probe.Tokenizer($$"""
            {"type": "BPE", "continuing_subword_prefix": "##", "vocab": {{Probe.Vocab("a", "##b", "##c", "ab", "abc")}},
             "merges": ["a ##b", "ab ##c"]}
            """, preTokenizer: WhitespaceSplit);
        Assert.Equal(["abc", "a", "##c"], prefixed.Encode("abc ac").Tokens);
        var suffixed = Probe.Tokenizer($$"""
            {"type": "BPE", "end_of_word_suffix": "</w>", "vocab": {{Probe.Vocab("a", "b", "a</w>", "b</w>", "ab</w>")}}, "merges": ["a b</w>"]}
            """, preTokenizer: WhitespaceSplit);
        Assert.Equal(["ab</w>", "b", "a</w>"], suffixed.Encode("ab ba").Tokens);
    }

    [Fact]
    public void Bpe_unknown_characters_are_fused_or_not()
    {
        string Model(bool fuse) => $$"""{"type": "BPE", "unk_token": "<unk>", "fuse_unk": {{(fuse ? "true" : "false")}}, "vocab": {{Probe.Vocab("<unk>", "a")}}, "merges": []}""";
        var separate = Probe.Tokenizer(Model(false)).Encode("azz");
        Assert.Equal(["a", "<unk>", "<unk>"], separate.Tokens);
        var fused = Probe.Tokenizer(Model(true)).Encode("azz");
        Assert.Equal(["a", "<unk>"], fused.Tokens);
        Assert.Equal((1, 3), (fused.Offsets[1].Start, fused.Offsets[1].End));
        // Without an unknown token, unknown characters produce nothing.
        Assert.Equal(["a"], Probe.Tokenizer($$"""{"type": "BPE", "vocab": {{Probe.Vocab("a")}}, "merges": []}""").Encode("az").Tokens);
    }

    [Fact]
    public void Bpe_byte_fallback_covers_unknown_characters_byte_by_byte()
    {
        var t = Probe.Tokenizer($$"""{"type": "BPE", "byte_fallback": true, "unk_token": "<unk>", "vocab": {{Probe.Vocab("<unk>", "a", "<0xC3>", "<0xA9>")}}, "merges": []}""");
        var e = t.Encode("a\u00E9\u00FF");
        Assert.Equal(["a", "<0xC3>", "<0xA9>", "<unk>"], e.Tokens);
        Assert.Equal([(0, 1), (1, 2), (1, 2), (2, 3)], e.Offsets.Select(o => (o.Start, o.End)));
    }

    [Fact]
    public void Bpe_ignore_merges_takes_whole_words_from_the_vocabulary()
    {
        string Model(bool ignore) => $$"""{"type": "BPE", "ignore_merges": {{(ignore ? "true" : "false")}}, "vocab": {{Probe.Vocab("a", "b", "c", "bc", "abc")}}, "merges": ["b c"]}""";
        Assert.Equal(["a", "bc"], Probe.Tokenizer(Model(false)).Encode("abc").Tokens);
        Assert.Equal(["abc"], Probe.Tokenizer(Model(true)).Encode("abc").Tokens);
    }

    [Fact]
    public void Bpe_dropout_of_one_skips_every_merge()
    {
        var t = Probe.Tokenizer($$"""{"type": "BPE", "dropout": 1.0, "vocab": {{Probe.Vocab("a", "b", "ab")}}, "merges": ["a b"]}""");
        Assert.Equal(["a", "b"], t.Encode("ab").Tokens);
    }

    [Fact]
    public void Unigram_finds_the_best_scoring_segmentation_and_fuses_unknowns()
    {
        var t = Probe.Tokenizer("""
            {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0], ["b", -1.0], ["ab", -1.5], ["c", -3.0]]}
            """, preTokenizer: WhitespaceSplit);
        var e = t.Encode("abc abxy");
        Assert.Equal(["ab", "c", "ab", "xy"], e.Tokens);
        Assert.Equal([3, 4, 3, 0], e.Ids);
        Assert.Equal([(0, 2), (2, 3), (4, 6), (6, 8)], e.Offsets.Select(o => (o.Start, o.End)));
    }

    [Fact]
    public void Unigram_byte_fallback_replaces_unknown_pieces_with_bytes()
    {
        var t = Probe.Tokenizer("""
            {"type": "Unigram", "unk_id": 0, "byte_fallback": true, "vocab": [["<unk>", 0.0], ["a", -1.0], ["<0x78>", -5.0]]}
            """);
        var e = t.Encode("ax");
        Assert.Equal(["a", "<0x78>"], e.Tokens);
    }

    [Fact]
    public void Word_level_looks_whole_words_up()
    {
        var t = Probe.Tokenizer(Probe.WordLevel("[UNK]", "hello", "world"), preTokenizer: WhitespaceSplit);
        Assert.Equal([1, 0, 2], t.Encode("hello there world").Ids);
        Assert.Equal(["hello", "[UNK]", "world"], t.Encode("hello there world").Tokens);
    }

    private static Embeddings.Tokenization.Tokenizer WordPiece(int maxChars, params string[] vocab) => Probe.Tokenizer(
        $$"""{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": {{maxChars}}, "vocab": {{Probe.Vocab(vocab)}}}""",
        preTokenizer: WhitespaceSplit);
}
