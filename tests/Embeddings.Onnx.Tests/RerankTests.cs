using System.Text.Json;
using Embeddings.Reranking;
using Embeddings.TestModels;
using Embeddings.Tokenization;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.Onnx.Tests;

/// <summary>The reranker on cross-encoder-tiny against sentence-transformers 6's CrossEncoder (predict and rank).</summary>
public sealed class RerankTests
{
    private sealed record Pair(string Query, string Document, float Score, float RawLogit, int[] InputIds);

    private static string Folder => Fixtures.ModelDir("cross-encoder-tiny");

    private static IEnumerable<JsonElement> Records(string type) =>
        File.ReadLines(Path.Combine(Folder, "refs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("type").GetString() == type);

    private static Pair[] Pairs() => Records("pair").Select(r => new Pair(
        r.GetProperty("query").GetString()!, r.GetProperty("document").GetString()!,
        r.GetProperty("score").GetSingle(), r.GetProperty("raw_logit").GetSingle(),
        r.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray())).ToArray();

    private static string[] Queries() => Pairs().Select(p => p.Query).Distinct().ToArray();

    private static string[] Documents(string query) => Pairs().Where(p => p.Query == query).Select(p => p.Document).ToArray();

    [FixtureFact]
    public void Scores_match_CrossEncoder_predict_and_come_sorted()
    {
        using var reranker = OnnxReranker.Create(Folder);
        Assert.Equal(ScoreActivation.Sigmoid, reranker.Info.Activation);
        Assert.Equal(256, reranker.Info.MaxSequenceLength);
        foreach (var query in Queries())
        {
            var documents = Documents(query);
            var results = reranker.Rerank(query, documents);
            Assert.Equal(Enumerable.Range(0, documents.Length), results.Select(r => r.Index).Order());
            for (int i = 1; i < results.Count; i++) Assert.True(results[i - 1].Score >= results[i].Score);
            foreach (var result in results)
            {
                var expected = Pairs().Single(p => p.Query == query && p.Document == documents[result.Index]);
                Assert.True(Math.Abs(result.Score - expected.Score) <= 1e-4f, $"{query} / doc {result.Index}: {result.Score} vs {expected.Score}");
            }
        }
    }

    [FixtureFact]
    public void Raw_scores_are_the_logits_and_the_activation_is_their_sigmoid()
    {
        using var reranker = OnnxReranker.Create(Folder);
        foreach (var query in Queries())
        {
            var documents = Documents(query);
            var raw = reranker.Rerank(query, documents, new RerankOptions { RawScores = true }).ToDictionary(r => r.Index, r => r.Score);
            var scored = reranker.Rerank(query, documents).ToDictionary(r => r.Index, r => r.Score);
            for (int i = 0; i < documents.Length; i++)
            {
                Assert.Equal(scored[i], 1f / (1f + MathF.Exp(-raw[i])), 6);
                var expected = Pairs().Single(p => p.Query == query && p.Document == documents[i]);
                // The fixture's raw_logit of an empty document comes from transformers' single-text call, which drops an
                // empty second text; CrossEncoder.predict (its `score`) keeps the pair, as this library does.
                if (documents[i].Length > 0)
                    Assert.True(Math.Abs(raw[i] - expected.RawLogit) <= 1e-4f, $"{query} / doc {i}: {raw[i]} vs {expected.RawLogit}");
            }
        }
    }

    [FixtureFact]
    public void Pairs_are_tokenized_as_sentence_transformers_does_with_longest_first_truncation()
    {
        var tokenizer = Tokenizer.FromFile(Path.Combine(Folder, "tokenizer.json"));
        var options = new EncodeOptions { Truncation = new TruncationOptions(256) };
        foreach (var pair in Pairs().Where(p => p.Document.Length > 0))
            Assert.Equal(pair.InputIds, tokenizer.Encode(pair.Query, pair.Document, options).Ids);
        Assert.Contains(Pairs(), p => p.InputIds.Length == 256); // the 600-word document was cut
    }

    [FixtureFact]
    public void The_ranking_equals_CrossEncoder_rank()
    {
        using var reranker = OnnxReranker.Create(Folder);
        foreach (var rank in Records("rank"))
        {
            var query = rank.GetProperty("query").GetString()!;
            var documents = rank.GetProperty("documents").EnumerateArray().Select(d => d.GetString()!).ToArray();
            var expected = rank.GetProperty("ranking").EnumerateArray().Select(r => (r.GetProperty("corpus_id").GetInt32(), r.GetProperty("score").GetSingle())).ToArray();
            var results = reranker.Rerank(query, documents);
            Assert.Equal(expected.Select(e => e.Item1), results.Select(r => r.Index));
            for (int i = 0; i < results.Count; i++) Assert.True(Math.Abs(results[i].Score - expected[i].Item2) <= 1e-4f);
        }
    }

    [FixtureFact]
    public async Task Batched_equals_single_and_async_with_a_queue_equals_sync()
    {
        string query = Queries()[0];
        var documents = Documents(query);
        using var reranker = OnnxReranker.Create(Folder);
        var batched = reranker.Rerank(query, documents).OrderBy(r => r.Index).ToArray();
        var single = reranker.Rerank(query, documents, new RerankOptions { MaxBatchSize = 1 }).OrderBy(r => r.Index).ToArray();
        for (int i = 0; i < batched.Length; i++) Assert.True(Math.Abs(batched[i].Score - single[i].Score) <= 1e-5f);
        for (int i = 0; i < documents.Length; i++)
            Assert.True(Math.Abs(reranker.Rerank(query, [documents[i]])[0].Score - batched[i].Score) <= 1e-5f);

        using var queued = OnnxReranker.Create(Folder, new OnnxEmbedderOptions { Embedder = { Queue = new EmbeddingQueueOptions() } });
        var calls = Enumerable.Range(0, 4).Select(_ => queued.RerankAsync(query, documents)).ToArray();
        foreach (var call in calls)
        {
            var result = (await call).OrderBy(r => r.Index).ToArray();
            for (int i = 0; i < batched.Length; i++) Assert.True(Math.Abs(batched[i].Score - result[i].Score) <= 1e-5f);
        }
    }

    [FixtureFact]
    public void Top_k_keeps_the_best_and_an_empty_list_gives_an_empty_result()
    {
        string query = Queries()[1];
        var documents = Documents(query);
        using var reranker = OnnxReranker.Create(Folder);
        var all = reranker.Rerank(query, documents);
        var top = reranker.Rerank(query, documents, new RerankOptions { TopK = 3 });
        Assert.Equal(all.Take(3), top);
        Assert.Equal(all, reranker.Rerank(query, documents, new RerankOptions { TopK = 100 }));
        Assert.Empty(reranker.Rerank(query, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankOptions { TopK = 0 });
    }

    [FixtureFact]
    public async Task Bad_input_cancellation_and_disposal_give_typed_errors()
    {
        var reranker = OnnxReranker.Create(Folder);
        var documents = Documents(Queries()[0]);
        Assert.Throws<ArgumentNullException>(() => reranker.Rerank(null!, documents));
        var nullItem = Assert.Throws<ArgumentNullException>(() => reranker.Rerank("q", ["a", null!]));
        Assert.Contains("Item 1", nullItem.Message);
        var tooLong = Assert.Throws<InputTooLongException>(() => reranker.Rerank("q", documents, new RerankOptions { Truncation = OverlongInputPolicy.Error }));
        Assert.Equal(Array.FindIndex(documents, d => d.StartsWith("word word", StringComparison.Ordinal)), tooLong.Index);
        using (var cancelled = new CancellationTokenSource())
        {
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => reranker.Rerank("q", documents, cancellationToken: cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reranker.RerankAsync("q", documents, cancellationToken: cancelled.Token));
        }
        reranker.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reranker.Rerank("q", documents));
    }

    [FixtureFact]
    public void An_embedding_model_is_refused_as_a_reranker()
    {
        var error = Assert.Throws<Models.ModelConfigurationException>(() => OnnxReranker.Create(Fixtures.ModelDir("bert-mean-tiny")));
        Assert.Contains("logits", error.Message);
    }

    [FixtureFact]
    public void The_registered_reranker_gives_what_the_factory_gives()
    {
        var services = new ServiceCollection();
        services.AddReranker(Folder);
        using var provider = services.BuildServiceProvider();
        using var direct = OnnxReranker.Create(Folder);
        string query = Queries()[0];
        var reranker = provider.GetRequiredService<IReranker>();
        Assert.Same(provider.GetRequiredService<Reranker>(), reranker);
        Assert.Equal(direct.Rerank(query, Documents(query)), reranker.Rerank(query, Documents(query)));
    }

    [FixtureFact]
    public void A_static_folder_loads_through_the_onnx_factory_and_dependency_injection()
    {
        string folder = Fixtures.ModelDir("static-tiny");
        using var embedder = OnnxEmbedder.Create(folder);
        Assert.NotNull(embedder.StaticModel);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEmbeddingGenerator(folder);
        using var provider = services.BuildServiceProvider();
        var registered = provider.GetRequiredService<IEmbedder>();
        Assert.Equal(embedder.Embed(["hello world"]).Data.ToArray(), registered.Embed(["hello world"]).Data.ToArray());
    }
}
