using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Server.Tests;

/// <summary>TEI's token-id inputs and left truncation on /embed, /embed_all and /embed_sparse.</summary>
public sealed class TokenInputTests(BertServer bert) : IClassFixture<BertServer>
{
    private static void AssertClose(ReadOnlySpan<float> expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"component {i}: {expected[i]} vs {actual[i]}");
    }

    [FixtureFact]
    public async Task Token_ids_from_the_tokenizer_embed_exactly_as_their_text_without_a_prompt()
    {
        string[] texts = ["Hello world, this is a test.", "Token ids in, vectors out"];
        var ids = texts.Select(text => bert.Model.Tokenizer.Encode(text).Ids).ToArray();
        // The model has prompts; token ids are the model's input as given, so no prompt is added.
        var expected = bert.Model.Embed(texts, new EmbedOptions { Prompt = "" });

        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = ids });
        Assert.Equal(200, status);
        var rows = Json.FloatRows(Json.Required(body));
        for (int i = 0; i < texts.Length; i++) AssertClose(expected[i].Span, rows[i]);

        var (singleStatus, single) = await bert.Server.PostAsync("/embed", new { inputs = ids[0] });
        Assert.Equal(200, singleStatus);
        AssertClose(expected[0].Span, Assert.Single(Json.FloatRows(Json.Required(single))));

        var (allStatus, all) = await bert.Server.PostAsync("/embed_all", new { inputs = ids });
        Assert.Equal(200, allStatus);
        Assert.Equal(ids[1].Length, Json.Required(all)[1].GetArrayLength());
    }

    [FixtureFact]
    public async Task Token_ids_no_text_encodes_to_are_refused()
    {
        // Without the special tokens the model's tokenizer adds, the ids are not what any text encodes to.
        var bare = bert.Model.Tokenizer.Encode("hello world", new EncodeOptions { AddSpecialTokens = false }).Ids;
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = bare });
        Assert.Equal(422, status);
        Assert.Contains("token ids", Json.Required(body).GetProperty("error").GetString());
    }

    [FixtureFact]
    public async Task Left_truncation_keeps_the_end_of_a_long_text()
    {
        string[] words = ["alpha", "river", "stone", "cloud", "maple", "quiet"];
        string text = string.Join(' ', Enumerable.Range(0, 900).Select(i => words[i % words.Length] + (i % 7 == 0 ? "," : "")));
        int max = bert.Model.Info.MaxSequenceLength;
        // The longest tail of whole words that fits, with the model's default prompt in front as /embed adds it.
        string prompt = bert.Model.Info.DefaultPromptName is { } name ? bert.Model.Info.Prompts[name] : "";
        var wordStarts = Enumerable.Range(0, text.Length).Where(i => i == 0 || text[i - 1] == ' ').ToArray();
        string tail = wordStarts.Select(start => text[start..]).First(candidate => bert.Model.Tokenizer.Encode(prompt + candidate).Length <= max);
        var expected = bert.Model.Embed([tail]);
        var right = bert.Model.Embed([text]);

        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = text, truncation_direction = "left" });
        Assert.Equal(200, status);
        var row = Assert.Single(Json.FloatRows(Json.Required(body)));
        AssertClose(expected[0].Span, row);
        Assert.NotEqual(right[0].ToArray(), row);

        var (sparseLike, _) = await bert.Server.PostAsync("/embed_all", new { inputs = text, truncation_direction = "left" });
        Assert.Equal(200, sparseLike);
    }
}
