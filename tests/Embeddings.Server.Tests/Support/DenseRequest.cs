using System.Text.Json;

namespace Embeddings.Server.Tests.Support;

/// <summary>
/// A dense-embedding request of a load test: its route, its texts (which no other request carries), the options the
/// server embeds them with, and its JSON body.
/// </summary>
internal sealed record DenseRequest(string Path, string[] Texts, EmbedOptions Options, object Body)
{
    private const string OpenAiPath = "/v1/embeddings";

    /// <summary>True for OpenAI's route, whose answers and errors have OpenAI's shape.</summary>
    public bool IsOpenAi => Path == OpenAiPath;

    /// <summary>
    /// Request <paramref name="request"/> of client <paramref name="client"/>: one to three texts, and in turn TEI's
    /// /embed as is, /embed with its options (not normalized, 16 dimensions, the query prompt), OpenAI's route as is,
    /// and OpenAI's route with 16 dimensions; so requests that share a model run want different things from it.
    /// </summary>
    public static DenseRequest For(int client, int request)
    {
        var texts = DistinctTexts.ForRequest(client, request, 1 + (client * 7 + request) % 3);
        // The server's default is --auto-truncate true; these texts are far below the limit either way.
        return ((client + request) % 4) switch
        {
            0 => new("/embed", texts, new EmbedOptions { Normalize = true, Truncation = OverlongInputPolicy.Truncate }, new { inputs = texts }),
            1 => new("/embed", texts, new EmbedOptions { Normalize = false, Dimensions = 16, PromptName = "query", Truncation = OverlongInputPolicy.Truncate },
                new { inputs = texts, normalize = false, dimensions = 16, prompt_name = "query" }),
            2 => new(OpenAiPath, texts, new EmbedOptions { Normalize = true, Truncation = OverlongInputPolicy.Truncate }, new { input = texts }),
            _ => new(OpenAiPath, texts, new EmbedOptions { Normalize = true, Dimensions = 16, Truncation = OverlongInputPolicy.Truncate },
                new { input = texts, dimensions = 16 }),
        };
    }

    /// <summary>The vectors of a 200 answer in input order, after checking the answer's shape (and, on OpenAI's
    /// route, its item indexes and token usage against <paramref name="expected"/>).</summary>
    public float[][] Vectors(JsonElement body, EmbeddingResult expected)
    {
        if (!IsOpenAi) return Json.FloatRows(body);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(expected.TotalTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        var items = body.GetProperty("data").EnumerateArray().ToArray();
        for (int i = 0; i < items.Length; i++) Assert.Equal(i, items[i].GetProperty("index").GetInt32());
        return items.Select(item => Json.Floats(item.GetProperty("embedding"))).ToArray();
    }

    /// <summary>The message of a 429 answer, after checking it is the route's error shape with type Overloaded
    /// (TEI's <c>{"error", "error_type"}</c>, OpenAI's <c>{"error": {"message", "type", "code"}}</c>).</summary>
    public string OverloadedMessage(JsonElement body) => Overloaded.Message(body, IsOpenAi);
}
