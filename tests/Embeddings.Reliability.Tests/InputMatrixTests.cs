using Embeddings.Pooling;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;
using Embeddings.TestModels.Bert;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// Every kind of input a caller can send, each with its documented result (docs/reliability.md, "Input"):
/// a value, an empty result, or a typed exception that names the item.
/// </summary>
public sealed class InputMatrixTests(FixtureEmbedders models) : IClassFixture<FixtureEmbedders>
{
    public static TheoryData<string> Methods =>
        ["Embed", "EmbedAsync", "EmbedTokens", "EmbedTokensAsync", "EmbedSparse", "EmbedSparseAsync", "LateChunk", "LateChunkAsync"];

    /// <summary>Calls <paramref name="method"/> (sparse ones on splade-tiny, the rest on bert-mean-tiny) and returns how many results came back.</summary>
    private Task<int> Call(string method, IReadOnlyList<string> texts, OverlongInputPolicy truncation = OverlongInputPolicy.Truncate) => method switch
    {
        "Embed" => Task.FromResult(models.Bert.Embed(texts, new EmbedOptions { Truncation = truncation }).Count),
        "EmbedAsync" => Count(models.Bert.EmbedAsync(texts, new EmbedOptions { Truncation = truncation })),
        "EmbedTokens" => Task.FromResult(models.Bert.EmbedTokens(texts, new TokenEmbeddingOptions { Truncation = truncation }).Count),
        "EmbedTokensAsync" => Count(models.Bert.EmbedTokensAsync(texts, new TokenEmbeddingOptions { Truncation = truncation })),
        "EmbedSparse" => Task.FromResult(models.Splade.EmbedSparse(texts, new SparseEmbeddingOptions { Truncation = truncation }).Count),
        "EmbedSparseAsync" => Count(models.Splade.EmbedSparseAsync(texts, new SparseEmbeddingOptions { Truncation = truncation })),
        "LateChunk" => Task.FromResult(models.Bert.LateChunk(texts, new LateChunkOptions { Truncation = truncation }).Count),
        "LateChunkAsync" => Count(models.Bert.LateChunkAsync(texts, new LateChunkOptions { Truncation = truncation })),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    private static async Task<int> Count(Task<EmbeddingResult> call) => (await call).Count;

    private static async Task<int> Count<T>(Task<IReadOnlyList<T>> call) => (await call).Count;

    private static string ParameterOf(string method) => method.StartsWith("LateChunk", StringComparison.Ordinal) ? "documents" : "texts";

    [FixtureTheory]
    [MemberData(nameof(Methods))]
    public async Task A_null_list_is_refused_with_ArgumentNullException_naming_the_parameter(string method)
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => Call(method, null!));

        Assert.Equal(ParameterOf(method), error.ParamName);
    }

    [FixtureTheory]
    [MemberData(nameof(Methods))]
    public async Task A_null_item_is_refused_with_ArgumentNullException_naming_its_index(string method)
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => Call(method, ["first", "second", null!, "fourth"]));

        Assert.Equal(ParameterOf(method), error.ParamName);
        Assert.Contains("Item 2 is null", error.Message, StringComparison.Ordinal);
    }

    [FixtureTheory]
    [MemberData(nameof(Methods))]
    public async Task An_empty_list_gives_an_empty_result(string method)
    {
        Assert.Equal(0, await Call(method, []));
    }

    [FixtureTheory]
    [MemberData(nameof(Methods))]
    public async Task Texts_over_the_limit_with_truncation_off_are_refused_naming_the_item(string method)
    {
        string tooLong = string.Join(' ', Enumerable.Repeat("word", 600));
        string[] texts = ["short", "also short", tooLong, tooLong];

        if (method.StartsWith("LateChunk", StringComparison.Ordinal))
        {
            // Late chunking never truncates: a long document is embedded in overlapping windows instead.
            Assert.Equal(4, await Call(method, texts, OverlongInputPolicy.Error));
            return;
        }
        var error = await Assert.ThrowsAsync<InputTooLongException>(() => Call(method, texts, OverlongInputPolicy.Error));

        Assert.Equal(2, error.Index);
        Assert.Equal(602, error.TokenCount);
        Assert.Equal(512, error.MaxTokens);
        Assert.Equal("texts", error.ParamName);
        Assert.Contains("Item 2", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void An_empty_string_embeds_as_the_special_tokens_alone()
    {
        var dense = models.Bert.Embed(["", "text"]);
        var tokens = models.Bert.EmbedTokens([""])[0];
        var sparse = models.Splade.EmbedSparse([""])[0];
        var chunks = models.Bert.LateChunk([""])[0];

        Assert.Equal(2, dense.TokenCounts[0]); // [CLS] [SEP]
        AssertUnitVector(dense[0].Span);
        Assert.Equal(["[CLS]", "[SEP]"], tokens.Tokens);
        Assert.All(tokens.IsSpecial, Assert.True);
        Assert.All(sparse.Values, value => Assert.True(float.IsFinite(value) && value > 0));
        Assert.Empty(chunks);
    }

    [FixtureFact]
    public void Whitespace_only_text_embeds_exactly_like_the_empty_string()
    {
        string[] blanks = [" ", "\t\n\r", "   \u00A0\u2003\u3000  "];

        var empty = models.Bert.Embed([""])[0].ToArray();
        var result = models.Bert.Embed(blanks);

        // The BERT normalizer turns every whitespace character into a space and the pre-tokenizer drops spaces.
        for (int i = 0; i < blanks.Length; i++)
        {
            Assert.Equal(2, result.TokenCounts[i]);
            Assert.Equal(empty, result[i].ToArray());
        }
        Assert.All(models.Bert.LateChunk(blanks), chunks => Assert.Empty(chunks));
    }

    [FixtureFact]
    public void A_one_megabyte_text_keeps_its_first_tokens_or_is_refused_by_index()
    {
        string megabyte = OneMegabyteOfText();
        var options = new EmbedOptions { Normalize = false };

        var result = models.Bert.Embed(["short", megabyte], options);
        var tokens = models.Bert.EmbedTokens([megabyte])[0];
        int lastContentEnd = tokens.Offsets[tokens.Count - 2].End;
        var head = models.Bert.Embed([megabyte[..lastContentEnd]], options);

        Assert.Equal([1], result.TruncatedIndexes);
        Assert.Equal(512, result.TokenCounts[1]);
        Assert.True(tokens.WasTruncated);
        Assert.Equal(512, tokens.Count);
        Assert.Equal("[SEP]", tokens.Tokens[^1]);
        // Truncation keeps the head of the text and the closing special token: the same vector as the head alone.
        Assert.Equal(head[0].ToArray(), result[1].ToArray());
        var error = Assert.Throws<InputTooLongException>(() =>
            models.Bert.Embed(["short", megabyte], new EmbedOptions { Truncation = OverlongInputPolicy.Error }));
        Assert.Equal(1, error.Index);
    }

    [FixtureFact]
    public void A_hundred_thousand_texts_in_one_call_come_back_complete_and_in_order()
    {
        var texts = Enumerable.Range(0, 100_000).Select(i => i % 7 == 0 ? "" : $"item {i}").ToArray();

        var result = models.Bert.Embed(texts);

        Assert.Equal(texts.Length, result.Count);
        Assert.Equal(32, result.Dimensions);
        Assert.Empty(result.TruncatedIndexes);
        // Sampled across all slices: each row is its own text's vector, alone.
        foreach (int i in new[] { 0, 1, 4095, 4096, 4097, 49_999, 50_000, 99_998, 99_999 })
        {
            var alone = models.Bert.Embed([texts[i]]);
            Assert.Equal(alone.TokenCounts[0], result.TokenCounts[i]);
            Assert.Equal(alone[0].ToArray(), result[i].ToArray());
        }
        for (int i = 0; i < result.Count; i++) AssertUnitVector(result[i].Span);
    }

    [FixtureFact]
    public void Lone_surrogates_embed_as_the_replacement_character()
    {
        string[] lone = ["a\uD800b", "\uDC00", "ends high \uD83D", "\uDE00 starts low", "pair \uD83D\uDE00 then lone \uDE00"];
        var replaced = lone.Select(ReplaceLoneSurrogates).ToArray();

        foreach (var embedder in new[] { models.Bert, models.Decoder })
        {
            Assert.Equal(embedder.Embed(replaced).Data.ToArray(), embedder.Embed(lone).Data.ToArray());
            var tokens = embedder.EmbedTokens(lone);
            for (int i = 0; i < lone.Length; i++) AssertOffsetsInside(lone[i], tokens[i]);
        }
        Assert.Equal(5, models.Bert.LateChunk(lone).Count);
    }

    [FixtureFact]
    public void NUL_and_control_characters_are_removed_by_the_BERT_normalizer_and_kept_as_bytes_by_byte_level_BPE()
    {
        string[] dirty = ["hello\0world", "\u0001\u0002\u0003bell\u0007", "del\u007F", "\0", "tab\tand\nnewline\r"];
        string[] clean = ["helloworld", "bell", "del", "", "tab and newline"];

        // BERT's normalizer drops NUL and other control characters and turns \t \n \r into spaces, as Hugging Face's does.
        Assert.Equal(models.Bert.Embed(clean).Data.ToArray(), models.Bert.Embed(dirty).Data.ToArray());
        // A byte-level tokenizer keeps every byte: each control character becomes a token of its own.
        var decoderTokens = models.Decoder.EmbedTokens(["\0\u0001\u0002"])[0];
        Assert.Equal(3, decoderTokens.Count);
        foreach (var embedder in new[] { models.Bert, models.Decoder })
        {
            var result = embedder.Embed(dirty);
            for (int i = 0; i < dirty.Length; i++) AssertFinite(result[i].Span);
            var tokens = embedder.EmbedTokens(dirty);
            for (int i = 0; i < dirty.Length; i++) AssertOffsetsInside(dirty[i], tokens[i]);
        }
    }

    [FixtureFact]
    public void Right_to_left_text_embeds_with_offsets_into_the_text_as_written()
    {
        string[] rightToLeft =
        [
            "مرحبا بالعالم", "שלום עולם", "English then עברית then English", "الرقم 123 في النص",
            "\u202Eoverride\u202C and \u2067isolate\u2069 and \u200Fmark",
        ];

        foreach (var embedder in new[] { models.Bert, models.Decoder })
        {
            var result = embedder.Embed(rightToLeft);
            var tokens = embedder.EmbedTokens(rightToLeft);
            for (int i = 0; i < rightToLeft.Length; i++)
            {
                AssertUnitVector(result[i].Span);
                AssertOffsetsInside(rightToLeft[i], tokens[i]);
                Assert.True(tokens[i].IsSpecial.Count(s => !s) >= 2, $"text {i} gave fewer than two content tokens");
            }
        }
        // Bidirectional formatting characters are format controls, which the BERT normalizer removes.
        Assert.Equal(models.Bert.Embed(["override and isolate and mark"])[0].ToArray(), models.Bert.Embed([rightToLeft[4]])[0].ToArray());
    }

    [FixtureFact]
    public void Emoji_embed_and_no_token_boundary_splits_a_surrogate_pair()
    {
        string[] emoji = ["I ❤️ cats 🐈‍⬛", "👍🏽👍🏿", "🇫🇷🇯🇵", "👨‍👩‍👧‍👦 family", "e\u0301\u0301\u0301 combining", string.Concat(Enumerable.Repeat("😀", 300))];

        foreach (var embedder in new[] { models.Bert, models.Decoder })
        {
            var result = embedder.Embed(emoji);
            var tokens = embedder.EmbedTokens(emoji);
            for (int i = 0; i < emoji.Length; i++)
            {
                AssertUnitVector(result[i].Span);
                AssertOffsetsInside(emoji[i], tokens[i]);
            }
            var chunks = embedder.LateChunk(emoji);
            Assert.All(chunks.SelectMany(c => c), chunk => AssertFinite(chunk.Embedding.Span));
        }
    }

    [FixtureFact]
    public void Dimensions_larger_than_the_model_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => models.Bert.Embed(["text"], new EmbedOptions { Dimensions = 33 }));

        Assert.Contains("33", error.Message, StringComparison.Ordinal);
        Assert.Contains("32", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbedOptions { Dimensions = 0 });
        Assert.Equal(32, models.Bert.Embed(["text"], new EmbedOptions { Dimensions = 32 }).Dimensions);
    }

    [FixtureFact]
    public async Task An_unknown_prompt_name_is_refused_listing_the_known_ones()
    {
        var options = new EmbedOptions { PromptName = "no-such-prompt" };

        var error = Assert.Throws<ArgumentException>(() => models.Bert.Embed(["text"], options));
        var asyncError = await Assert.ThrowsAsync<ArgumentException>(() => models.Bert.EmbedAsync(["text"], options));
        using var withoutPrompts = Onnx.OnnxEmbedder.Create(Fixtures.ModelDir("bert-cls-tiny"));
        var noPrompts = Assert.Throws<ArgumentException>(() => withoutPrompts.Embed(["text"], options));

        Assert.Contains("no-such-prompt", error.Message, StringComparison.Ordinal);
        Assert.Contains("query", error.Message, StringComparison.Ordinal);
        Assert.Contains("document", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, asyncError.Message);
        Assert.Contains("the model defines no prompts", noPrompts.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void A_pooling_mode_the_model_cannot_serve_is_refused()
    {
        // A sentence-transformers export that pools inside its graph gives sentence_embedding only.
        using var folder = new TemporaryFolder();
        GeneratedModelFolder.Write(folder.Path, new BertGraphOptions { HiddenStateOutput = false, SentenceEmbeddingOutput = true });
        using var prePooled = Onnx.OnnxEmbedder.Create(folder.Path);

        var pooling = Assert.Throws<NotSupportedException>(() => prePooled.Embed(["text"], new EmbedOptions { Pooling = PoolingMode.Cls }));
        var tokens = Assert.Throws<NotSupportedException>(() => prePooled.EmbedTokens(["text"]));
        var chunks = Assert.Throws<NotSupportedException>(() => prePooled.LateChunk(["text"]));
        var sparse = Assert.Throws<NotSupportedException>(() => prePooled.EmbedSparse(["text"]));

        Assert.Contains("Cls", pooling.Message, StringComparison.Ordinal);
        Assert.Contains("sentence_embedding", tokens.Message, StringComparison.Ordinal);
        Assert.Contains("sentence_embedding", chunks.Message, StringComparison.Ordinal);
        Assert.Contains("logits", sparse.Message, StringComparison.Ordinal);
        Assert.Equal(32, prePooled.Embed(["text"]).Dimensions); // its own pooling still works
    }

    [Fact]
    public void A_pooling_mode_that_does_not_exist_is_refused_when_set()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EmbedOptions { Pooling = (PoolingMode)42 });

        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pooler([PoolingMode.Mean, (PoolingMode)42]));
    }

    [Fact]
    public void A_truncation_policy_that_does_not_exist_is_refused_when_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbedOptions { Truncation = (OverlongInputPolicy)7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LateChunkOptions { Truncation = (OverlongInputPolicy)(-1) });
    }

    private static string OneMegabyteOfText()
    {
        const string sentence = "The quick brown fox jumps over the lazy dog, and the dog sleeps on. ";
        var builder = new System.Text.StringBuilder(1 << 20);
        while (builder.Length + sentence.Length <= 1 << 20) builder.Append(sentence);
        return builder.ToString();
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
            if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    internal static void AssertFinite(ReadOnlySpan<float> vector)
    {
        foreach (float value in vector) Assert.True(float.IsFinite(value), "A vector holds a NaN or an infinity.");
    }

    internal static void AssertUnitVector(ReadOnlySpan<float> vector)
    {
        AssertFinite(vector);
        double norm = 0;
        foreach (float value in vector) norm += value * (double)value;
        Assert.InRange(Math.Sqrt(norm), 0.9999, 1.0001);
    }

    /// <summary>Offsets lie inside the text, never go backwards, and never start or end between the two halves of a surrogate pair.</summary>
    internal static void AssertOffsetsInside(string text, TokenEmbeddings tokens)
    {
        int previousStart = 0;
        for (int t = 0; t < tokens.Count; t++)
        {
            var (start, end) = (tokens.Offsets[t].Start, tokens.Offsets[t].End);
            if (tokens.IsSpecial[t] && start == 0 && end == 0) continue;
            Assert.InRange(start, 0, text.Length);
            Assert.InRange(end, start, text.Length);
            Assert.True(start >= previousStart, $"token {t} starts at {start}, before the previous token's start {previousStart}");
            Assert.False(SplitsPair(text, start), $"token {t} starts inside a surrogate pair at {start}");
            Assert.False(SplitsPair(text, end), $"token {t} ends inside a surrogate pair at {end}");
            previousStart = start;
        }
    }

    private static bool SplitsPair(string text, int index) =>
        index > 0 && index < text.Length && char.IsHighSurrogate(text[index - 1]) && char.IsLowSurrogate(text[index]);
}
