using Embeddings.InputEncoding;
using Embeddings.Batching;
using Embeddings.Models;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Core.Tests.Batching;

public class InputEncoderTests
{
    private static Tokenizer Bert() => Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir("bert-uncased"), "tokenizer.json"));

    [FixtureFact]
    public void Prompt_length_counts_the_leading_special_token_but_not_the_trailing_one()
    {
        var encoder = new InputEncoder(Bert(), 512, SequenceSide.Right, lowercase: false);
        Assert.Equal(3, encoder.PromptLength("query: ")); // [CLS] query : ([SEP] not counted)
        Assert.Equal(0, encoder.PromptLength(""));
    }

    [FixtureFact]
    public void Truncation_keeps_special_tokens_on_the_configured_side()
    {
        var tokenizer = Bert();
        var right = new InputEncoder(tokenizer, 5, SequenceSide.Right, lowercase: false).Encode(["one two three four five"], "", OverlongInputPolicy.Truncate, "texts", default);
        Assert.Equal(["[CLS]", "one", "two", "three", "[SEP]"], right.Encodings[0].Tokens);
        var left = new InputEncoder(tokenizer, 5, SequenceSide.Left, lowercase: false).Encode(["one two three four five"], "", OverlongInputPolicy.Truncate, "texts", default);
        Assert.Equal(["[CLS]", "three", "four", "five", "[SEP]"], left.Encodings[0].Tokens);
        Assert.Equal([0], left.TruncatedIndexes());
    }

    [FixtureFact]
    public void A_call_direction_overrides_the_model_side_on_both_encoding_paths()
    {
        var tokenizer = Bert();
        var rightModel = new InputEncoder(tokenizer, 5, SequenceSide.Right, lowercase: false);
        var leftModel = new InputEncoder(tokenizer, 5, SequenceSide.Left, lowercase: false);
        string[] texts = ["one two three four five"];
        int[] keepEnd = tokenizer.Encode("three four five").Ids;
        int[] keepStart = tokenizer.Encode("one two three").Ids;

        Assert.Equal(keepEnd, rightModel.Encode(texts, "", OverlongInputPolicy.Truncate, SequenceSide.Left, "texts", default).Ids[0]);
        Assert.Equal(keepEnd, rightModel.EncodeIds(texts, "", OverlongInputPolicy.Truncate, SequenceSide.Left, "texts", default).Ids[0]);
        Assert.Equal(keepStart, leftModel.Encode(texts, "", OverlongInputPolicy.Truncate, SequenceSide.Right, "texts", default).Ids[0]);
        Assert.Equal(keepStart, leftModel.EncodeIds(texts, "", OverlongInputPolicy.Truncate, SequenceSide.Right, "texts", default).Ids[0]);
        Assert.Equal(keepEnd, leftModel.EncodeIds(texts, "", OverlongInputPolicy.Truncate, null, "texts", default).Ids[0]);
        Assert.Equal([0], rightModel.EncodeIds(texts, "", OverlongInputPolicy.Truncate, SequenceSide.Left, "texts", default).TruncatedIndexes());
    }

    [Fact]
    public void The_call_direction_must_be_a_defined_value()
    {
        var options = new EmbedOptions { TruncationSide = SequenceSide.Left };
        Assert.Equal(SequenceSide.Left, options.Clone().TruncationSide);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.TruncationSide = (SequenceSide)7);
        options.TruncationSide = null;
        Assert.Null(options.TruncationSide);
    }

    [FixtureFact]
    public void Prompts_are_prepended_and_lowercasing_applies_to_the_whole_input()
    {
        var tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir("bert-multilingual-cased"), "tokenizer.json"));
        var inputs = new InputEncoder(tokenizer, 512, SequenceSide.Right, lowercase: true).Encode(["Hello"], "Query: ", OverlongInputPolicy.Truncate, "texts", default);
        Assert.Equal(tokenizer.Encode("query: hello").Ids, inputs.Ids[0]);
    }

    [FixtureFact]
    public void Large_inputs_are_encoded_in_parallel_in_input_order()
    {
        var texts = Enumerable.Range(0, 500).Select(i => $"text number {i}").ToArray();
        var inputs = new InputEncoder(Bert(), 512, SequenceSide.Right, lowercase: false).Encode(texts, "", OverlongInputPolicy.Truncate, "texts", default);
        var tokenizer = Bert();
        for (int i = 0; i < texts.Length; i += 37) Assert.Equal(tokenizer.Encode(texts[i]).Ids, inputs.Ids[i]);
    }

    private static string[] CorpusTexts(int count) =>
        File.ReadLines(Path.Combine(Fixtures.CorpusDir, "debian-handbook.en.jsonl")).Take(count / 2)
            .Concat(File.ReadLines(Path.Combine(Fixtures.CorpusDir, "debian-handbook.ja.jsonl")).Take(count / 2))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
            .Append("").Append("short").ToArray();

    [FixtureTheory]
    [InlineData("bert-uncased", 128)]
    [InlineData("bert-uncased", 512)]
    [InlineData("roberta", 64)]
    [InlineData("t5", 100)]
    public void Ids_only_encoding_gives_the_ids_type_ids_and_truncation_flags_of_full_encoding(string family, int maxLength)
    {
        var tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir(family), "tokenizer.json"));
        var encoder = new InputEncoder(tokenizer, maxLength, SequenceSide.Right, lowercase: false);
        var texts = CorpusTexts(200);
        var full = encoder.Encode(texts, "query: ", OverlongInputPolicy.Truncate, "texts", default);
        var ids = encoder.EncodeIds(texts, "query: ", OverlongInputPolicy.Truncate, "texts", default);
        Assert.NotEmpty(full.TruncatedIndexes());
        Assert.Equal(full.TruncatedIndexes(), ids.TruncatedIndexes());
        Assert.Equal(full.PromptTokens, ids.PromptTokens);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(full.Ids[i], ids.Ids[i]);
            Assert.Equal(full.TypeIds[i], ids.TypeIds[i]);
        }
    }

    [FixtureFact]
    public void Ids_only_encoding_rejects_the_first_text_over_the_limit_with_its_full_length()
    {
        var tokenizer = Bert();
        var encoder = new InputEncoder(tokenizer, 8, SequenceSide.Right, lowercase: false);
        var texts = Enumerable.Range(0, 100).Select(i => i is 70 or 90 ? $"this text number {i} has far too many words to fit" : "fits").ToArray();
        var full = Assert.Throws<InputTooLongException>(() => encoder.Encode(texts, "", OverlongInputPolicy.Error, "texts", default));
        var ids = Assert.Throws<InputTooLongException>(() => encoder.EncodeIds(texts, "", OverlongInputPolicy.Error, "texts", default));
        Assert.Equal(70, ids.Index);
        Assert.Equal(full.Index, ids.Index);
        Assert.Equal(full.TokenCount, ids.TokenCount);
        Assert.Equal(tokenizer.Encode(texts[70]).Length, ids.TokenCount);
    }

    [FixtureFact]
    public void Ids_only_encoding_of_a_left_truncating_model_keeps_the_end_of_the_text()
    {
        var encoder = new InputEncoder(Bert(), 5, SequenceSide.Left, lowercase: false);
        var inputs = encoder.EncodeIds(["one two three four five"], "", OverlongInputPolicy.Truncate, "texts", default);
        Assert.Equal(Bert().Encode("three four five").Ids, inputs.Ids[0]);
        Assert.Equal([0], inputs.TruncatedIndexes());
    }

    [FixtureFact]
    public void Ids_only_inputs_have_no_full_encodings()
    {
        var inputs = new InputEncoder(Bert(), 512, SequenceSide.Right, lowercase: false).EncodeIds(["hello"], "", OverlongInputPolicy.Truncate, "texts", default);
        Assert.Throws<InvalidOperationException>(() => inputs.Encodings);
    }
}
