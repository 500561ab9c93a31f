using Embeddings.Onnx;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Server.Tests;

/// <summary>TEI's /rerank on the cross-encoder fixture: the library's scores, sorted, in TEI's shape.</summary>
public sealed class RerankRouteTests(CrossEncoderServer crossEncoder) : IClassFixture<CrossEncoderServer>
{
    private static readonly string[] Texts =
    [
        "Canberra is the capital city of Australia, not Sydney.",
        "Unrelated text about cooking pasta al dente in salted water.",
        "",
        "Late chunking embeds the whole document first and pools token vectors per chunk afterwards.",
    ];

    [FixtureFact]
    public async Task Rerank_answers_index_and_score_sorted_and_equal_to_the_library()
    {
        using var reranker = OnnxReranker.Create(Fixtures.ModelDir("cross-encoder-tiny"));
        foreach (bool raw in new[] { false, true })
        {
            var (status, body) = await crossEncoder.Server.PostAsync("/rerank", new { query = "capital of Australia", texts = Texts, raw_scores = raw });
            Assert.Equal(200, status);
            var expected = reranker.Rerank("capital of Australia", Texts, new RerankOptions { RawScores = raw });
            var ranks = Json.Required(body).EnumerateArray().ToArray();
            Assert.Equal(expected.Select(r => r.Index), ranks.Select(r => r.GetProperty("index").GetInt32()));
            for (int i = 0; i < ranks.Length; i++)
            {
                Assert.True(Math.Abs(expected[i].Score - ranks[i].GetProperty("score").GetSingle()) <= 1e-6f);
                Assert.False(ranks[i].TryGetProperty("text", out _));
            }
        }
    }

    [FixtureFact]
    public async Task Return_text_adds_each_document_and_bad_requests_are_422()
    {
        var (status, body) = await crossEncoder.Server.PostAsync("/rerank", new { query = "q", texts = Texts, return_text = true });
        Assert.Equal(200, status);
        foreach (var rank in Json.Required(body).EnumerateArray())
            Assert.Equal(Texts[rank.GetProperty("index").GetInt32()], rank.GetProperty("text").GetString());

        Assert.Equal(422, (await crossEncoder.Server.PostAsync("/rerank", new { query = "q", texts = Array.Empty<string>() })).Status);
        Assert.Equal(422, (await crossEncoder.Server.PostAsync("/rerank", new { texts = Texts })).Status);
        Assert.Equal(422, (await crossEncoder.Server.PostAsync("/rerank", new { query = "q", texts = Texts, truncation_direction = "up" })).Status);
        string longText = string.Join(' ', Enumerable.Repeat("word", 600));
        Assert.Equal(422, (await crossEncoder.Server.PostAsync("/rerank", new { query = "q", texts = new[] { longText }, truncate = false })).Status);
        Assert.Equal(200, (await crossEncoder.Server.PostAsync("/rerank", new { query = "q", texts = new[] { longText }, truncation_direction = "left" })).Status);
    }
}

/// <summary>An embedding model cannot rerank: 424, as TEI answers a route the model does not serve.</summary>
public sealed class RerankOnEmbeddingModelTests(BertServer bert) : IClassFixture<BertServer>
{
    [FixtureFact]
    public async Task Rerank_on_an_embedding_model_is_a_424()
    {
        var (status, body) = await bert.Server.PostAsync("/rerank", new { query = "q", texts = new[] { "a" } });
        Assert.Equal(424, status);
        Assert.Equal("Backend", Json.Required(body).GetProperty("error_type").GetString());
    }
}
