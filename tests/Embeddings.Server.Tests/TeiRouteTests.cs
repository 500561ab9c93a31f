using System.Text.Json;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;
using Embeddings.Tokenization;

namespace Embeddings.Server.Tests;

/// <summary>The TEI routes over plain HTTP: JSON shapes, values equal to the library's, status codes and error types.</summary>
public sealed class TeiRouteTests(BertServer bert) : IClassFixture<BertServer>
{
    private static readonly string[] Texts = ["The cat sits on the mat.", "A feline rests on a rug."];

    [FixtureFact]
    public async Task Embed_answers_one_row_per_input_equal_to_the_library()
    {
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = Texts });
        Assert.Equal(200, status);
        var expected = bert.Model.Embed(Texts, new EmbedOptions { Normalize = true });
        var rows = Json.FloatRows(Json.Required(body));
        Assert.Equal(Texts.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++) Assert.Equal(expected[i].ToArray(), rows[i]);
    }

    [FixtureFact]
    public async Task Embed_takes_a_single_string_as_a_batch_of_one()
    {
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = Texts[0] });
        Assert.Equal(200, status);
        Assert.Equal(bert.Model.Embed([Texts[0]])[0].ToArray(), Assert.Single(Json.FloatRows(Json.Required(body))));
    }

    [FixtureFact]
    public async Task Embed_honours_normalize_dimensions_and_prompt_name()
    {
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = Texts, normalize = false, dimensions = 8, prompt_name = "query" });
        Assert.Equal(200, status);
        var expected = bert.Model.Embed(Texts, new EmbedOptions { Normalize = false, Dimensions = 8, PromptName = "query" });
        var rows = Json.FloatRows(Json.Required(body));
        for (int i = 0; i < rows.Length; i++) Assert.Equal(expected[i].ToArray(), rows[i]);
        Assert.NotEqual(bert.Model.Embed(Texts, new EmbedOptions { Normalize = false, Dimensions = 8 })[0].ToArray(), rows[0]);
    }

    [FixtureFact]
    public async Task A_text_over_the_limit_is_truncated_by_default_as_TEI_does()
    {
        string longText = string.Join(' ', Enumerable.Repeat("word", 600));
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs = longText });
        Assert.Equal(200, status);
        Assert.Equal(bert.Model.Embed([longText])[0].ToArray(), Assert.Single(Json.FloatRows(Json.Required(body))));
    }

    public static TheoryData<string, int, string> RefusedRequests() => new()
    {
        { """{"inputs": []}""", 422, "Empty" },
        { """{"inputs": ["a", ""]}""", 422, "Empty" },
        { """{"inputs": ""}""", 422, "Empty" },
        { JsonSerializer.Serialize(new { inputs = Enumerable.Repeat("a", 33) }), 413, "Validation" },
        { JsonSerializer.Serialize(new { inputs = string.Join(' ', Enumerable.Repeat("word", 600)), truncate = false }), 422, "Validation" },
        { """{"inputs": "a", "prompt_name": "nonexistent"}""", 422, "Validation" },
        { """{"inputs": "a", "dimensions": 33}""", 422, "Validation" },
        { """{"inputs": "a", "dimensions": 0}""", 422, "Validation" },
        { """{"inputs": "a", "normalize": "yes"}""", 422, "Validation" },
        { """{"inputs": "a", "truncation_direction": "up"}""", 422, "Validation" },
        { """{"inputs": [99999999]}""", 422, "Validation" },
        { """{"inputs": [1, -2]}""", 422, "Validation" },
        { """{"inputs": [["a", "b"]]}""", 422, "Validation" },
        { """{"text": "a"}""", 422, "Validation" },
        { """["a"]""", 422, "Validation" },
        { "not json", 422, "Validation" },
    };

    [FixtureTheory]
    [MemberData(nameof(RefusedRequests))]
    public async Task Embed_refuses_bad_requests_with_TEI_status_and_error_type(string request, int expectedStatus, string errorType)
    {
        var (status, body) = await bert.Server.PostAsync("/embed", request);
        Assert.Equal(expectedStatus, status);
        var error = Json.Required(body);
        Assert.Equal(errorType, error.GetProperty("error_type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
    }

    [FixtureFact]
    public async Task Too_long_with_truncation_off_names_the_input_and_the_limit()
    {
        string[] inputs = ["short", string.Join(' ', Enumerable.Repeat("word", 600))];
        var (status, body) = await bert.Server.PostAsync("/embed", new { inputs, truncate = false });
        Assert.Equal(422, status);
        string message = Json.Required(body).GetProperty("error").GetString()!;
        Assert.Contains("Input 1 ", message);
        Assert.Contains("602 tokens", message);
        Assert.Contains("512", message);
    }

    [FixtureFact]
    public async Task Embed_all_answers_every_token_vector_equal_to_the_library()
    {
        var (status, body) = await bert.Server.PostAsync("/embed_all", new { inputs = Texts });
        Assert.Equal(200, status);
        var expected = bert.Model.EmbedTokens(Texts);
        var texts = Json.Required(body).EnumerateArray().ToArray();
        Assert.Equal(Texts.Length, texts.Length);
        for (int i = 0; i < texts.Length; i++)
        {
            var rows = Json.FloatRows(texts[i]);
            Assert.Equal(expected[i].Count, rows.Length);
            for (int t = 0; t < rows.Length; t++) Assert.Equal(expected[i][t].ToArray(), rows[t]);
        }
    }

    [FixtureFact]
    public async Task Embed_all_applies_the_prompt()
    {
        var (_, body) = await bert.Server.PostAsync("/embed_all", new { inputs = "cats", prompt_name = "query" });
        var expected = bert.Model.EmbedTokens(["query: cats"])[0];
        Assert.Equal(expected.Count, Json.Required(body)[0].GetArrayLength());
        Assert.Equal(expected[1].ToArray(), Json.Floats(Json.Required(body)[0][1]));
    }

    [FixtureFact]
    public async Task Sparse_vectors_from_a_dense_model_are_a_424_backend_error()
    {
        var (status, body) = await bert.Server.PostAsync("/embed_sparse", new { inputs = "a" });
        Assert.Equal(424, status);
        Assert.Equal("Backend", Json.Required(body).GetProperty("error_type").GetString());
    }

    [FixtureFact]
    public async Task Tokenize_gives_ids_text_and_utf8_byte_offsets_as_TEI()
    {
        const string text = "héllo wörld 😀 ok";
        var (status, body) = await bert.Server.PostAsync("/tokenize", new { inputs = text });
        Assert.Equal(200, status);
        var tokens = Assert.Single(Json.Required(body).EnumerateArray()).EnumerateArray().ToArray();
        var encoding = bert.Model.Tokenizer.Encode(text);
        Assert.Equal(encoding.Ids, tokens.Select(t => t.GetProperty("id").GetInt32()));

        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.True(tokens[0].GetProperty("special").GetBoolean());
        Assert.Equal("[CLS]", tokens[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, tokens[0].GetProperty("start").ValueKind);
        foreach (var token in tokens.Where(t => !t.GetProperty("special").GetBoolean()))
        {
            int start = token.GetProperty("start").GetInt32(), stop = token.GetProperty("stop").GetInt32();
            Assert.Equal(System.Text.Encoding.UTF8.GetString(utf8, start, stop - start), token.GetProperty("text").GetString());
        }
        var world = tokens.Single(t => t.GetProperty("text").GetString() == "wörld");
        Assert.Equal(7, world.GetProperty("start").GetInt32()); // "héllo " is 7 bytes
        Assert.Equal(13, world.GetProperty("stop").GetInt32());
    }

    [FixtureFact]
    public async Task Tokenize_without_special_tokens_and_with_a_prompt()
    {
        var (_, body) = await bert.Server.PostAsync("/tokenize", new { inputs = new[] { "cats", "dogs" }, add_special_tokens = false, prompt_name = "query" });
        var batch = Json.Required(body).EnumerateArray().ToArray();
        Assert.Equal(2, batch.Length);
        var expected = bert.Model.Tokenizer.Encode("query: cats", new EncodeOptions { AddSpecialTokens = false });
        Assert.Equal(expected.Ids, batch[0].EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.All(batch[0].EnumerateArray(), t => Assert.False(t.GetProperty("special").GetBoolean()));
    }

    [FixtureFact]
    public async Task Decode_takes_one_list_or_several_and_skips_special_tokens_unless_asked()
    {
        var ids = bert.Model.Tokenizer.Encode("hello world").Ids;
        var (status, single) = await bert.Server.PostAsync("/decode", new { ids });
        Assert.Equal(200, status);
        Assert.Equal(["hello world"], Json.Required(single).EnumerateArray().Select(e => e.GetString()));

        var (_, batch) = await bert.Server.PostAsync("/decode", new { ids = new[] { ids, ids }, skip_special_tokens = false });
        var decoded = Json.Required(batch).EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(2, decoded.Length);
        Assert.Equal(bert.Model.Tokenizer.Decode(ids, skipSpecialTokens: false), decoded[0]);
        Assert.Contains("[CLS]", decoded[0]);
    }

    [FixtureTheory]
    [InlineData("""{"ids": []}""", 422, "Empty")]
    [InlineData("""{"ids": [[1], []]}""", 422, "Empty")]
    [InlineData("""{"ids": [-1]}""", 422, "Validation")]
    [InlineData("""{"ids": ["a"]}""", 422, "Validation")]
    [InlineData("""{"ids": 5}""", 422, "Validation")]
    public async Task Decode_refuses_what_is_not_token_ids(string request, int expectedStatus, string errorType)
    {
        var (status, body) = await bert.Server.PostAsync("/decode", request);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(errorType, Json.Required(body).GetProperty("error_type").GetString());
    }

    [FixtureFact]
    public async Task Info_describes_the_model_and_the_limits()
    {
        var (status, body) = await bert.Server.GetAsync("/info");
        Assert.Equal(200, status);
        var info = Json.Required(body);
        Assert.Equal("bert-mean-tiny", info.GetProperty("model_id").GetString());
        Assert.Equal("bert-mean-tiny", info.GetProperty("served_model_name").GetString());
        Assert.Equal("mean", info.GetProperty("model_type").GetProperty("embedding").GetProperty("pooling").GetString());
        Assert.Equal(512, info.GetProperty("max_input_length").GetInt32());
        Assert.Equal(32, info.GetProperty("max_client_batch_size").GetInt32());
        Assert.True(info.GetProperty("auto_truncate").GetBoolean());
        Assert.Equal(32, info.GetProperty("dimensions").GetInt32());
        Assert.Equal("query: ", info.GetProperty("prompts").GetProperty("query").GetString());
    }

    [FixtureFact]
    public async Task Health_is_200_when_the_model_runs()
    {
        var (status, body) = await bert.Server.GetAsync("/health");
        Assert.Equal(200, status);
        Assert.Null(body);
    }
}
