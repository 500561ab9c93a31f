using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Post-processors: special tokens, type ids, sequence ids and offset trimming.</summary>
public sealed class PostProcessorTests
{
    private static readonly string Words = Probe.WordLevel("[UNK]", "[CLS]", "[SEP]", "a", "b", "c", "x1", "x2");
    private const string Split = """{"type": "WhitespaceSplit"}""";

    [Fact]
    public void Template_lays_out_pieces_with_their_type_ids()
    {
        var t = Probe.Tokenizer(Words, preTokenizer: Split, postProcessor: """
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
             "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                      {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
             "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}}
            """);
        var e = t.Encode("a b", "c");
        Assert.Equal([1, 3, 4, 2, 5, 2], e.Ids);
        Assert.Equal([0, 0, 0, 0, 1, 1], e.TypeIds);
        Assert.Equal([1, 0, 0, 1, 0, 1], e.SpecialTokensMask);
        Assert.Equal([null, 0, 0, null, 1, null], e.SequenceIds);
        Assert.Equal([null, 0, 1, null, 0, null], e.WordIds);
        Assert.Equal(2, t.NumSpecialTokensToAdd(false));
        Assert.Equal(3, t.NumSpecialTokensToAdd(true));
        Assert.Equal([3, 4], t.Encode("a b", new EncodeOptions { AddSpecialTokens = false }).Ids);
    }

    [Fact]
    public void Template_accepts_the_string_shorthand_and_multi_token_specials()
    {
        var t = Probe.Tokenizer(Words, preTokenizer: Split, postProcessor: """
            {"type": "TemplateProcessing", "single": "[X] $A", "pair": "[X] $A $B:1 [X]:1",
             "special_tokens": {"[X]": {"id": "[X]", "ids": [6, 7], "tokens": ["x1", "x2"]}}}
            """);
        Assert.Equal([6, 7, 3], t.Encode("a").Ids);
        var pair = t.Encode("a", "b");
        Assert.Equal([6, 7, 3, 4, 6, 7], pair.Ids);
        Assert.Equal([0, 0, 0, 1, 1, 1], pair.TypeIds);
    }

    [Fact]
    public void Template_rejects_undefined_special_tokens()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer(Words, postProcessor: """
            {"type": "TemplateProcessing", "single": "[CLS] $A", "pair": "$A $B", "special_tokens": {}}
            """));
        Assert.Contains("[CLS]", e.Message);
    }

    [Fact]
    public void Bert_processing_gives_the_second_sequence_type_id_one()
    {
        var t = Probe.Tokenizer(Words, preTokenizer: Split, postProcessor: """{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}""");
        var e = t.Encode("a", "b c");
        Assert.Equal([1, 3, 2, 4, 5, 2], e.Ids);
        Assert.Equal([0, 0, 0, 1, 1, 1], e.TypeIds);
    }

    [Fact]
    public void Roberta_processing_doubles_the_separator_and_uses_type_id_zero()
    {
        var t = Probe.Tokenizer(Words, preTokenizer: Split,
            postProcessor: """{"type": "RobertaProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1], "trim_offsets": false, "add_prefix_space": false}""");
        var e = t.Encode("a", "b");
        Assert.Equal([1, 3, 2, 2, 4, 2], e.Ids);
        Assert.All(e.TypeIds, id => Assert.Equal(0, id));
        Assert.Equal([null, 0, null, null, 1, null], e.SequenceIds);
    }

    [Fact]
    public void Byte_level_processing_trims_spaces_from_offsets()
    {
        var model = """{"type": "BPE", "vocab": {"H": 0, "i": 1, "Hi": 2, "\u0120": 3, "\u0120H": 4, "\u0120Hi": 5}, "merges": ["\u0120 H", "\u0120H i", "H i"]}""";
        var pre = """{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}""";
        var trimmed = Probe.Tokenizer(model, preTokenizer: pre, postProcessor: """{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true}""");
        var e = trimmed.Encode("Hi Hi");
        Assert.Equal(["\u0120Hi", "\u0120Hi"], e.Tokens);
        Assert.Equal([(0, 2), (3, 5)], e.Offsets.Select(o => (o.Start, o.End)));
        var untrimmed = Probe.Tokenizer(model, preTokenizer: pre, postProcessor: """{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false}""");
        Assert.Equal([(0, 2), (2, 5)], untrimmed.Encode("Hi Hi").Offsets.Select(o => (o.Start, o.End)));
    }

    [Fact]
    public void Byte_level_trimming_moves_offsets_by_code_points_of_the_source()
    {
        // NFKD turns U+1D552 (two UTF-16 units) into "a"; the space added in front is aligned with it, so
        // trimming that space moves the start past the whole character, as the reference does.
        var t = Probe.Tokenizer("""{"type": "BPE", "vocab": {"a": 0, "\u0120": 1, "\u0120a": 2}, "merges": ["\u0120 a"]}""",
            normalizer: """{"type": "NFKD"}""",
            preTokenizer: """{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}""",
            postProcessor: """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true}""");
        var e = t.Encode("\uD835\uDD52");
        Assert.Equal(["\u0120a"], e.Tokens);
        Assert.Equal((2, 2), (e.Offsets[0].Start, e.Offsets[0].End));
    }

    [Fact]
    public void Post_processing_separately_encoded_sequences_equals_encoding_with_specials()
    {
        var t = Probe.Tokenizer(Words, preTokenizer: Split, postProcessor: """{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}""");
        var plain = new EncodeOptions { AddSpecialTokens = false };
        var processed = t.PostProcess(t.Encode("a b", plain), t.Encode("c", plain), addSpecialTokens: true);
        var direct = t.Encode("a b", "c");
        Assert.Equal(direct.Ids, processed.Ids);
        Assert.Equal(direct.TypeIds, processed.TypeIds);
        Assert.Equal(direct.SequenceIds, processed.SequenceIds);
    }

    [Fact]
    public void Without_a_post_processor_pairs_are_concatenated()
    {
        var t = Probe.Tokenizer(Words, preTokenizer: Split);
        var e = t.Encode("a", "b");
        Assert.Equal([3, 4], e.Ids);
        Assert.Equal([0, 1], e.TypeIds);
        Assert.Equal(0, t.NumSpecialTokensToAdd(true));
    }
}
