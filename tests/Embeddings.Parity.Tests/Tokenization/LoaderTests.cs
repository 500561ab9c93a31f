using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Tokenization;

/// <summary>Reading tokenizer.json: typed errors for bad files, old layouts, and the vocab.txt route.</summary>
public sealed class LoaderTests
{
    private static readonly string Model = Probe.WordLevel("[UNK]", "a");

    [Fact]
    public void Malformed_json_names_the_file_and_position()
    {
        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("{\"model\": {\"type\": ", "broken.json"));
        Assert.Equal("broken.json", e.SourceName);
        Assert.Contains("line 1", e.Location);
        Assert.Contains("malformed JSON", e.Message);
    }

    [Fact]
    public void Missing_and_mistyped_fields_name_the_path()
    {
        var missing = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("""{"version": "1.0"}""", "t.json"));
        Assert.Contains("'model'", missing.Message);
        var mistyped = Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer("""{"type": "WordPiece", "vocab": 5}"""));
        Assert.Equal("$.model.vocab", mistyped.Location);
        var badId = Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer("""{"type": "WordLevel", "unk_token": "a", "vocab": {"a": -1}}"""));
        Assert.Equal("$.model.vocab.a", badId.Location);
        var version = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("""{"version": "2.0", "model": {}}""", "t.json"));
        Assert.Contains("2.0", version.Message);
        Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("[]", "t.json"));
    }

    [Fact]
    public void Unknown_components_are_not_supported_and_named()
    {
        var normalizer = Assert.Throws<NotSupportedException>(() => Probe.Tokenizer(Model, normalizer: """{"type": "Fancy"}"""));
        Assert.Contains("'Fancy'", normalizer.Message);
        Assert.Contains("test.json", normalizer.Message);
        Assert.Contains("normalizer", normalizer.Message);
        Assert.Throws<NotSupportedException>(() => Probe.Tokenizer(Model, preTokenizer: """{"type": "Fancy"}"""));
        Assert.Throws<NotSupportedException>(() => Probe.Tokenizer(Model, postProcessor: """{"type": "Fancy"}"""));
        Assert.Throws<NotSupportedException>(() => Probe.Tokenizer(Model, decoder: """{"type": "Fancy"}"""));
        Assert.Throws<NotSupportedException>(() => Probe.Tokenizer("""{"type": "Fancy", "vocab": {}}"""));
    }

    [Fact]
    public void Inconsistent_models_are_format_errors()
    {
        var merge = Assert.Throws<TokenizerFormatException>(() =>
            Probe.Tokenizer("""{"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}"""));
        Assert.Contains("'ab'", merge.Message);
        Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer("""{"type": "BPE", "vocab": {"a": 0}, "merges": ["a b c"]}"""));
        Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer("""{"type": "Unigram", "unk_id": 3, "vocab": [["a", -1.0]]}"""));
        Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer("""{"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"a": 0}}"""));
        Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer(Model, normalizer: """{"type": "Precompiled", "precompiled_charsmap": "!!"}"""));
        Assert.Throws<TokenizerFormatException>(() => Probe.Tokenizer(Model, preTokenizer: """{"type": "Split", "pattern": {"Regex": "("}, "behavior": "Isolated", "invert": false}"""));
    }

    [Fact]
    public void Deeply_nested_documents_are_rejected()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson($$"""{"model": {{deep}}}""", "deep.json"));
        Assert.Contains("depth", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Models_without_a_type_are_recognised_by_their_fields()
    {
        var wordPiece = Probe.Tokenizer("""{"unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "a": 1}}""");
        Assert.Equal([1], wordPiece.Encode("a").Ids);
        var bpe = Probe.Tokenizer("""{"vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}""");
        Assert.Equal([2], bpe.Encode("ab").Ids);
        var unigram = Probe.Tokenizer("""{"unk_id": 0, "vocab": [["<unk>", 0.0], ["ab", -1.0]]}""");
        Assert.Equal([1], unigram.Encode("ab").Ids);
    }

    [Fact]
    public void Truncation_and_padding_sections_are_read_but_not_applied()
    {
        var t = Probe.Tokenizer(Model,
            truncation: """{"max_length": 3, "strategy": "OnlyFirst", "stride": 1, "direction": "Left"}""",
            padding: """{"strategy": {"Fixed": 9}, "direction": "Left", "pad_to_multiple_of": null, "pad_id": 7, "pad_type_id": 1, "pad_token": "<p>"}""");
        Assert.Equal(new TruncationOptions(3, PairTruncationStrategy.OnlyFirst, SequenceSide.Left, 1), t.Truncation);
        Assert.Equal(new PaddingOptions(9, SequenceSide.Left, null, 7, 1, "<p>"), t.Padding);
        Assert.Equal(1, t.Encode("a").Length);
    }

    [Fact]
    public void A_missing_file_is_reported_as_such()
    {
        Assert.Throws<FileNotFoundException>(() => Tokenizer.FromFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")));
    }

    [FixtureFact]
    public void A_bert_vocab_txt_gives_the_same_encodings_as_the_tokenizer_json()
    {
        var fromJson = ReferenceParityTests.LoadTokenizer("bert-uncased");
        var fromVocab = Tokenizer.FromBertVocab(Path.Combine(Fixtures.TokenizerDir("bert-uncased"), "vocab.txt"), lowercase: true);
        Assert.Equal(fromJson.VocabularySize, fromVocab.VocabularySize);
        foreach (var c in ReferenceCase.Load("bert-uncased").Where(c => c.Variant == "base"))
        {
            var expected = fromJson.Encode(c.Text, c.Pair);
            var actual = fromVocab.Encode(c.Text, c.Pair);
            Assert.Equal(expected.Ids, actual.Ids);
            Assert.Equal(expected.TypeIds, actual.TypeIds);
            Assert.Equal(expected.Offsets, actual.Offsets);
            Assert.Equal(fromJson.Decode(expected.Ids), fromVocab.Decode(actual.Ids));
        }
    }
}
