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
        var encoder = new InputEncoder(Bert(), 512, Side.Right, lowercase: false);
        Assert.Equal(3, encoder.PromptLength("query: ")); // [CLS] query : ([SEP] not counted)
        Assert.Equal(0, encoder.PromptLength(""));
    }

    [FixtureFact]
    public void Truncation_keeps_special_tokens_on_the_configured_side()
    {
        var tokenizer = Bert();
        var right = new InputEncoder(tokenizer, 5, Side.Right, lowercase: false).Encode(["one two three four five"], "", TruncationPolicy.Truncate, "texts", default);
        Assert.Equal(["[CLS]", "one", "two", "three", "[SEP]"], right.Encodings[0].Tokens);
        var left = new InputEncoder(tokenizer, 5, Side.Left, lowercase: false).Encode(["one two three four five"], "", TruncationPolicy.Truncate, "texts", default);
        Assert.Equal(["[CLS]", "three", "four", "five", "[SEP]"], left.Encodings[0].Tokens);
        Assert.Equal([0], left.TruncatedIndexes());
    }

    [FixtureFact]
    public void Prompts_are_prepended_and_lowercasing_applies_to_the_whole_input()
    {
        var tokenizer = Tokenizer.FromFile(Path.Combine(Fixtures.TokenizerDir("bert-multilingual-cased"), "tokenizer.json"));
        var inputs = new InputEncoder(tokenizer, 512, Side.Right, lowercase: true).Encode(["Hello"], "Query: ", TruncationPolicy.Truncate, "texts", default);
        Assert.Equal(tokenizer.Encode("query: hello").Ids, inputs.Ids[0]);
    }

    [FixtureFact]
    public void Large_inputs_are_encoded_in_parallel_in_input_order()
    {
        var texts = Enumerable.Range(0, 500).Select(i => $"text number {i}").ToArray();
        var inputs = new InputEncoder(Bert(), 512, Side.Right, lowercase: false).Encode(texts, "", TruncationPolicy.Truncate, "texts", default);
        var tokenizer = Bert();
        for (int i = 0; i < texts.Length; i += 37) Assert.Equal(tokenizer.Encode(texts[i]).Ids, inputs.Ids[i]);
    }
}
