using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>EmbedTokens and EmbedSparse on the model fixtures against their independent references.</summary>
public sealed class TokenAndSparseTests
{
    private static Embedder Load(string model) => OnnxEmbedder.Create(Fixtures.ModelDir(model));

    [FixtureFact]
    public void Token_vectors_match_the_reference_hidden_states()
    {
        using var embedder = Load("bert-mean-tiny");
        var references = ReferenceRecords.Tokens("bert-mean-tiny");
        var texts = File.ReadLines(Path.Combine(Fixtures.ModelDir("bert-mean-tiny"), "refs.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "tokens")
            .Select(r => r.GetProperty("text").GetString()!).ToArray();
        var results = embedder.EmbedTokens(texts);
        Assert.Equal(references.Count, results.Count);
        for (int i = 0; i < results.Count; i++)
        {
            var result = results[i];
            Assert.Equal(references[i].InputIds.Select(id => (int)id), result.Ids);
            Assert.Equal(references[i].States.Length, result.Count);
            for (int t = 0; t < result.Count; t++)
            {
                var got = result[t].Span;
                for (int d = 0; d < result.Dimensions; d++)
                    Assert.True(Math.Abs(references[i].States[t][d] - got[d]) <= 1e-4f, $"{references[i].Id} token {t} dim {d}");
            }
            Assert.True(result.IsSpecial[0] && result.IsSpecial[^1]);
        }
    }

    [FixtureFact]
    public void Special_tokens_can_be_left_out_and_vectors_normalized()
    {
        using var embedder = Load("bert-mean-tiny");
        var all = embedder.EmbedTokens(["Hello world"])[0];
        var words = embedder.EmbedTokens(["Hello world"], new TokenEmbeddingOptions { IncludeSpecialTokens = false, Normalize = true })[0];
        Assert.Equal(["hello", "world"], words.Tokens);
        Assert.Equal([new Tokenization.TokenOffset(0, 5), new Tokenization.TokenOffset(6, 11)], words.Offsets);
        Assert.All(words.IsSpecial, s => Assert.False(s));
        var raw = all[1].ToArray();
        float norm = MathF.Sqrt(raw.Sum(v => v * v));
        var normalized = words[0].ToArray();
        for (int d = 0; d < raw.Length; d++) Assert.Equal(raw[d] / norm, normalized[d], 5);
    }

    [FixtureFact]
    public void Token_vectors_do_not_depend_on_the_batch()
    {
        using var embedder = Load("decoder-last-tiny"); // left padding
        string[] texts = ["short", "a somewhat longer text for the batch", "mid length text"];
        var batched = embedder.EmbedTokens(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            var alone = embedder.EmbedTokens([texts[i]])[0];
            Assert.Equal(alone.Ids, batched[i].Ids);
            var a = alone.Vectors.Span;
            var b = batched[i].Vectors.Span;
            for (int k = 0; k < a.Length; k++) Assert.True(Math.Abs(a[k] - b[k]) <= 1e-5f);
        }
    }

    [FixtureFact]
    public void Sparse_vectors_match_the_splade_reference()
    {
        using var embedder = Load("splade-tiny");
        Assert.True(embedder.Info.SupportsSparse);
        var references = ReferenceRecords.Sparse("splade-tiny");
        var texts = File.ReadLines(Path.Combine(Fixtures.ModelDir("splade-tiny"), "refs.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "sparse" && r.GetProperty("mode").GetString() == "single")
            .Select(r => r.GetProperty("text").GetString()!).ToArray();
        var results = embedder.EmbedSparse(texts);
        for (int i = 0; i < results.Count; i++)
        {
            var expected = new float[30522];
            for (int k = 0; k < references[i].Indices.Length; k++) expected[references[i].Indices[k]] = references[i].Values[k];
            var got = results[i].ToDense();
            for (int v = 0; v < expected.Length; v++) Assert.True(Math.Abs(expected[v] - got[v]) <= 1e-4f, $"{references[i].Id} index {v}");
            Assert.Equal(results[i].Indices.Order(), results[i].Indices);
            Assert.All(results[i].Values, w => Assert.True(w > 0));
        }
    }

    [FixtureFact]
    public void Top_k_and_minimum_weight_trim_the_vector()
    {
        using var embedder = Load("splade-tiny");
        var full = embedder.EmbedSparse(["The quick brown fox jumps over the lazy dog"])[0];
        var top = embedder.EmbedSparse(["The quick brown fox jumps over the lazy dog"], new SparseEmbeddingOptions { TopK = 5 })[0];
        Assert.Equal(5, top.Count);
        var expected = full.Indices.Zip(full.Values).OrderByDescending(p => p.Second).Take(5).Select(p => p.First).Order();
        Assert.Equal(expected, top.Indices);
        float threshold = full.Values.Order().ElementAt(full.Count / 2);
        var heavy = embedder.EmbedSparse(["The quick brown fox jumps over the lazy dog"], new SparseEmbeddingOptions { MinWeight = threshold })[0];
        Assert.All(heavy.Values, w => Assert.True(w > threshold));
        Assert.Equal(heavy.Count, full.Values.Count(w => w > threshold));
        Assert.Equal(embedder.Tokenizer.IdToToken(top.Indices[0]), top.Tokens[0]);
    }

    [FixtureFact]
    public void A_model_without_logits_cannot_make_sparse_vectors()
    {
        using var embedder = Load("bert-mean-tiny");
        Assert.False(embedder.Info.SupportsSparse);
        var error = Assert.Throws<NotSupportedException>(() => embedder.EmbedSparse(["x"]));
        Assert.Contains("logits", error.Message);
    }

    [FixtureFact]
    public void A_sparse_only_model_cannot_make_dense_vectors()
    {
        using var embedder = Load("splade-tiny");
        Assert.Throws<NotSupportedException>(() => embedder.Embed(["x"]));
    }
}
