using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Embeddings.Static;
using Embeddings.TestModels;

namespace Embeddings.Core.Tests.Static;

/// <summary>Static embedding models (static-tiny, saved by sentence-transformers 6) against SentenceTransformer.encode.</summary>
public sealed class StaticEmbeddingTests
{
    private static string Folder => Fixtures.ModelDir("static-tiny");

    private static (string Text, float[] Embedding)[] References() =>
        File.ReadLines(Path.Combine(Folder, "refs.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "embedding")
            .Select(r => (r.GetProperty("text").GetString()!, r.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray()))
            .ToArray();

    private static float MaxDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }

    [FixtureFact]
    public void The_folder_is_recognised_and_loads_without_a_runtime()
    {
        Assert.True(StaticEmbeddingModel.IsStaticFolder(Folder));
        Assert.False(StaticEmbeddingModel.IsStaticFolder(Fixtures.ModelDir("bert-mean-tiny")));
        var model = StaticEmbeddingModel.Load(Folder);
        Assert.Equal(StaticModelFormat.SentenceTransformers, model.Format);
        Assert.Equal(64, model.Dimensions);
        Assert.Equal(30522, model.VocabularySize);
        Assert.True(model.Normalize);
    }

    [FixtureFact]
    public void Embed_matches_sentence_transformers_within_1e_5()
    {
        var refs = References();
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        var result = embedder.Embed(refs.Select(r => r.Text).ToArray());
        for (int i = 0; i < refs.Length; i++)
            Assert.True(MaxDiff(result[i].Span, refs[i].Embedding) <= 1e-5f, $"text {i} ({refs[i].Text}) differs");
        Assert.Equal(64, embedder.Info.Dimensions);
    }

    [FixtureFact]
    public void A_text_alone_equals_the_same_text_in_a_large_parallel_call()
    {
        var texts = References().Select(r => r.Text).ToArray();
        var many = Enumerable.Range(0, 3000).Select(i => texts[i % texts.Length] + (i % 7 == 0 ? "" : $" {i}")).ToArray();
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        var all = embedder.Embed(many);
        foreach (int i in new[] { 0, 1, 999, 2047, 2999 })
            Assert.True(all[i].Span.SequenceEqual(embedder.Embed([many[i]])[0].Span), $"text {i} differs alone");
    }

    [FixtureFact]
    public void Options_apply_as_for_transformer_models()
    {
        var text = References()[1].Text;
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        var raw = embedder.Embed([text], new EmbedOptions { Normalize = false })[0].ToArray();
        var normalized = embedder.Embed([text])[0].ToArray();
        float norm = MathF.Sqrt(raw.Sum(x => x * x));
        Assert.True(MaxDiff(raw.Select(x => x / norm).ToArray(), normalized) <= 1e-6f);

        var truncated = embedder.Embed([text], new EmbedOptions { Dimensions = 16, Normalize = false })[0].ToArray();
        Assert.Equal(raw[..16], truncated);
        var truncatedNormalized = embedder.Embed([text], new EmbedOptions { Dimensions = 16 })[0].ToArray();
        Assert.Equal(1f, MathF.Sqrt(truncatedNormalized.Sum(x => x * x)), 5);

        // The fixture's prompts are empty strings; an explicit prompt text is prepended like sentence-transformers does.
        Assert.Equal(normalized, embedder.Embed([text], new EmbedOptions { PromptName = "query" })[0].ToArray());
        Assert.Equal(embedder.Embed(["query: " + text])[0].ToArray(), embedder.Embed([text], new EmbedOptions { Prompt = "query: " })[0].ToArray());
        Assert.Throws<ArgumentException>(() => embedder.Embed([text], new EmbedOptions { PromptName = "nope" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => embedder.Embed([text], new EmbedOptions { Dimensions = 65 }));
    }

    [FixtureFact]
    public void An_empty_text_gives_a_zero_vector_and_an_empty_list_an_empty_result()
    {
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        Assert.All(embedder.Embed([""])[0].ToArray(), x => Assert.Equal(0f, x));
        Assert.Empty(embedder.Embed([]));
    }

    [FixtureFact]
    public async Task Per_token_operations_throw_a_typed_not_supported_error()
    {
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        var tokens = Assert.Throws<NotSupportedByModelException>(() => embedder.EmbedTokens(["a"]));
        Assert.Equal("EmbedTokens", tokens.Operation);
        Assert.Throws<NotSupportedByModelException>(() => embedder.EmbedSparse(["a"]));
        Assert.Throws<NotSupportedByModelException>(() => embedder.LateChunk(["a"]));
        await Assert.ThrowsAsync<NotSupportedByModelException>(() => embedder.EmbedTokensAsync(["a"]));
        Assert.Throws<NotSupportedByModelException>(() => embedder.Embed(["a"], new EmbedOptions { Pooling = Embeddings.Pooling.PoolingMode.Cls }));
        Assert.Throws<InvalidOperationException>(() => embedder.Folder);
    }

    [FixtureFact]
    public async Task Async_embed_and_the_generator_give_the_same_vectors_and_a_cancelled_call_throws()
    {
        var texts = References().Select(r => r.Text).ToArray();
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        var sync = embedder.Embed(texts);
        var async = await embedder.EmbedAsync(texts);
        Assert.Equal(sync.Data.ToArray(), async.Data.ToArray());
        var generated = await embedder.AsEmbeddingGenerator().GenerateAsync(texts);
        Assert.Equal(sync[2].ToArray(), generated[2].Vector.ToArray());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => embedder.Embed(texts, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => embedder.Embed(Enumerable.Repeat(texts[0], 5000).ToArray(), cancellationToken: cancelled.Token));
    }

    [FixtureFact]
    public void Texts_longer_than_the_tokenizer_truncation_are_cut_as_sentence_transformers_does()
    {
        // tokenizer.json truncates at 128 tokens; sentence-transformers turns padding off but keeps that truncation.
        using var embedder = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        string words = string.Join(' ', Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? "cat" : "dog"));
        string first128 = string.Join(' ', Enumerable.Range(0, 128).Select(i => i % 2 == 0 ? "cat" : "dog"));
        var result = embedder.Embed([words, first128]);
        Assert.Equal(result[1].ToArray(), result[0].ToArray());
        Assert.Equal([0], result.TruncatedIndexes);
        Assert.Throws<InputTooLongException>(() => embedder.Embed(["short", words], new EmbedOptions { Truncation = OverlongInputPolicy.Error }));
    }

    [FixtureFact]
    public void A_model2vec_folder_loads_and_follows_its_config()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(Folder, "tokenizer.json"), Path.Combine(temp.Path, "tokenizer.json"));
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), """{"model_type": "model2vec", "normalize": true}""");
        WriteRenamedTensor(Path.Combine(Folder, "model.safetensors"), "embedding.weight", Path.Combine(temp.Path, "model.safetensors"), "embeddings");

        Assert.True(StaticEmbeddingModel.IsStaticFolder(temp.Path));
        var model = StaticEmbeddingModel.Load(temp.Path);
        Assert.Equal(StaticModelFormat.Model2Vec, model.Format);
        using var model2vec = Embedder.CreateStatic(model);
        using var st = Embedder.CreateStatic(StaticEmbeddingModel.Load(Folder));
        var texts = References().Select(r => r.Text).Where(t => t.Length > 0 && t.All(char.IsAscii)).ToArray(); // no unknown tokens
        var a = model2vec.Embed(texts);
        var b = st.Embed(texts);
        for (int i = 0; i < texts.Length; i++) Assert.True(MaxDiff(a[i].Span, b[i].Span) <= 1e-6f);
        // Model2Vec leaves the unknown token out of the mean.
        Assert.Equal(model2vec.Embed(["cat"])[0].ToArray(), model2vec.Embed(["cat \u2603\u2603"])[0].ToArray());
    }

    private static void WriteRenamedTensor(string source, string from, string destination, string to)
    {
        var bytes = File.ReadAllBytes(source);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd().Replace($"\"{from}\"", $"\"{to}\"", StringComparison.Ordinal);
        var headerBytes = Encoding.UTF8.GetBytes(header);
        using var output = File.Create(destination);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        output.Write(length);
        output.Write(headerBytes);
        output.Write(bytes.AsSpan(8 + headerLength));
    }
}
