using Embeddings.Onnx.Tests.Support;
using Embeddings.Pooling;
using Embeddings.PostProcessing;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>Embed end to end on the model fixtures: parity with the independent reference, batch invariance, options.</summary>
public sealed class EmbedderTests
{
    private static Embedder Load(string model, Action<OnnxEmbedderOptions>? configure = null)
    {
        var options = new OnnxEmbedderOptions();
        configure?.Invoke(options);
        return OnnxEmbedder.Create(Fixtures.ModelDir(model), options);
    }

    private static float MaxDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }

    [FixtureTheory]
    [InlineData("bert-mean-tiny")]
    [InlineData("bert-cls-tiny")]
    [InlineData("roberta-mean-tiny")]
    [InlineData("decoder-last-tiny")]
    public void Matches_the_reference_within_1e_4_batched_however_the_library_likes(string model)
    {
        using var embedder = Load(model);
        var records = ReferenceRecords.Embeddings(model);
        foreach (var group in records.GroupBy(r => r.PromptName))
        {
            var texts = group.Select(r => r.Text).ToArray();
            var result = embedder.Embed(texts, new EmbedOptions { PromptName = group.Key });
            int i = 0;
            foreach (var record in group)
            {
                float diff = MaxDiff(record.Embedding, result[i++].Span);
                Assert.True(diff <= 1e-4f, $"{record.Id}: max abs diff {diff:E2}");
            }
        }
    }

    [FixtureTheory]
    [InlineData("bert-mean-tiny")]
    [InlineData("roberta-mean-tiny")]
    [InlineData("decoder-last-tiny")]
    public void A_text_embeds_the_same_alone_and_inside_any_batch(string model)
    {
        using var embedder = Load(model);
        var texts = ReferenceRecords.Embeddings(model).Where(r => r.PromptName is null).Select(r => r.Text).Distinct().Take(40).ToArray();
        var together = embedder.Embed(texts);
        var random = new Random(5);
        var shuffled = texts.OrderBy(_ => random.Next()).ToArray();
        var mixed = embedder.Embed(shuffled, new EmbedOptions { MaxBatchTokens = 300, MaxBatchSize = 7 });
        for (int i = 0; i < texts.Length; i += 5)
        {
            var alone = embedder.Embed([texts[i]]);
            Assert.True(MaxDiff(alone[0].Span, together[i].Span) <= 1e-5f, $"text {i} alone vs together");
            int j = Array.IndexOf(shuffled, texts[i]);
            Assert.True(MaxDiff(alone[0].Span, mixed[j].Span) <= 1e-5f, $"text {i} alone vs shuffled small batches");
        }
    }

    [FixtureFact]
    public void Results_come_back_in_input_order()
    {
        using var embedder = Load("bert-cls-tiny");
        string[] texts = ["a much longer text with many words in it, to sort last", "short", "", "medium length text here", "x"];
        var batched = embedder.Embed(texts, new EmbedOptions { MaxBatchSize = 2 });
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(embedder.Embed([texts[i]])[0].ToArray(), batched[i].ToArray());
        Assert.Equal(texts.Select(t => embedder.Tokenizer.Encode(t).Length), batched.TokenCounts);
    }

    [FixtureFact]
    public void Matryoshka_truncation_happens_before_normalization()
    {
        using var embedder = Load("bert-mean-tiny");
        var full = embedder.Embed(["The quick brown fox"], new EmbedOptions { Normalize = false })[0].ToArray();
        var truncated = embedder.Embed(["The quick brown fox"], new EmbedOptions { Dimensions = 8 })[0].ToArray();
        var expected = full[..8];
        VectorNormalization.NormalizeInPlace(expected);
        Assert.Equal(8, truncated.Length);
        Assert.True(MaxDiff(expected, truncated) <= 1e-6f);
        Assert.Equal(1f, MathF.Sqrt(truncated.Sum(v => v * v)), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => embedder.Embed(["x"], new EmbedOptions { Dimensions = 33 }));
    }

    [FixtureFact]
    public void Pooling_can_be_overridden_per_call()
    {
        using var embedder = Load("bert-mean-tiny");
        var states = ReferenceRecords.Tokens("bert-mean-tiny").First(t => t.Id == "dev-hello").States;
        var cls = embedder.Embed(["Hello world"], new EmbedOptions { Pooling = PoolingMode.Cls, Normalize = false })[0].ToArray();
        var last = embedder.Embed(["Hello world"], new EmbedOptions { Pooling = PoolingMode.LastToken, Normalize = false })[0].ToArray();
        var max = embedder.Embed(["Hello world"], new EmbedOptions { Pooling = PoolingMode.Max, Normalize = false })[0].ToArray();
        Assert.True(MaxDiff(states[0], cls) <= 1e-4f);
        Assert.True(MaxDiff(states[^1], last) <= 1e-4f);
        var expectedMax = Enumerable.Range(0, 32).Select(d => states.Max(s => s[d])).ToArray();
        Assert.True(MaxDiff(expectedMax, max) <= 1e-4f);
    }

    [FixtureFact]
    public void Long_texts_are_truncated_and_reported_or_rejected()
    {
        using var embedder = Load("bert-mean-tiny");
        string longText = string.Join(' ', Enumerable.Repeat("word", 600));
        var result = embedder.Embed(["short", longText]);
        Assert.Equal([1], result.TruncatedIndexes);
        Assert.Equal(512, result.TokenCounts[1]);
        var error = Assert.Throws<InputTooLongException>(() => embedder.Embed(["short", longText], new EmbedOptions { Truncation = OverlongInputPolicy.Error }));
        Assert.Equal(1, error.Index);
        Assert.Equal(602, error.TokenCount);
        Assert.Equal(512, error.MaxTokens);
    }

    [FixtureFact]
    public void Bad_arguments_get_typed_errors()
    {
        using var embedder = Load("bert-mean-tiny");
        Assert.Empty(embedder.Embed([]));
        var nullItem = Assert.Throws<ArgumentNullException>(() => embedder.Embed(["a", null!]));
        Assert.Contains("Item 1", nullItem.Message);
        Assert.Throws<ArgumentNullException>(() => embedder.Embed(null!));
        var prompt = Assert.Throws<ArgumentException>(() => embedder.Embed(["a"], new EmbedOptions { PromptName = "nope" }));
        Assert.Contains("query", prompt.Message);
    }

    [FixtureFact]
    public async Task Cancellation_and_disposal_end_calls_cleanly()
    {
        var embedder = Load("bert-mean-tiny");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => embedder.Embed(["a", "b"], cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => embedder.EmbedAsync(["a"], cancellationToken: cancelled.Token));
        var vector = await embedder.EmbedAsync("hello");
        Assert.Equal(32, vector.Length);
        embedder.Dispose();
        embedder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(["a"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => embedder.EmbedAsync(["a"]));
    }

    [FixtureFact]
    public void Info_describes_the_model()
    {
        using var embedder = Load("decoder-last-tiny");
        var info = embedder.Info;
        Assert.Equal("decoder-last-tiny", info.ModelId);
        Assert.Equal(32, info.Dimensions);
        Assert.Equal([PoolingMode.LastToken], info.Pooling);
        Assert.Equal(SequenceSide.Left, info.PaddingSide);
        Assert.True(info.Normalize);
        Assert.True(info.SupportsTokenEmbeddings);
        Assert.False(info.SupportsSparse);
        Assert.Equal(151665, info.VocabularySize);
    }

    [FixtureFact]
    public void An_empty_decoder_input_has_no_tokens_and_embeds_to_zeros()
    {
        using var embedder = Load("decoder-last-tiny");
        var result = embedder.Embed(["", "hello"]);
        Assert.Equal(0, result.TokenCounts[0]);
        Assert.All(result[0].ToArray(), v => Assert.Equal(0f, v));
        Assert.NotEqual(0f, result[1].Span[0]);
    }
}

/// <summary>Calls larger than one input slice.</summary>
public sealed class LargeCallTests
{
    [FixtureFact]
    public void Ten_thousand_texts_run_in_slices_with_global_progress_and_indexes()
    {
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        var texts = Enumerable.Range(0, 10_000).Select(i => $"text {i} " + new string('x', i % 13)).ToArray();
        var reports = new List<EmbeddingProgress>();
        var result = embedder.Embed(texts, new EmbedOptions { Progress = new SyncProgress(reports.Add) });
        Assert.Equal(10_000, result.Count);
        Assert.Equal(new EmbeddingProgress(10_000, 10_000), reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Completed < p.Second.Completed));
        foreach (int i in new[] { 0, 4095, 4096, 9999 })
            Assert.Equal(embedder.Embed([texts[i]])[0].ToArray(), result[i].ToArray());

        texts[9000] = string.Join(' ', Enumerable.Repeat("long", 600));
        var error = Assert.Throws<InputTooLongException>(() => embedder.Embed(texts, new EmbedOptions { Truncation = OverlongInputPolicy.Error }));
        Assert.Equal(9000, error.Index);
        Assert.Equal([9000], embedder.Embed(texts).TruncatedIndexes);
        var sparse = OnnxEmbedder.Create(Fixtures.ModelDir("splade-tiny"));
        using (sparse) Assert.Equal(10_000, sparse.EmbedSparse(texts).Count);
    }

    private sealed class SyncProgress(Action<EmbeddingProgress> report) : IProgress<EmbeddingProgress>
    {
        public void Report(EmbeddingProgress value) => report(value);
    }
}

/// <summary>Tests that read the library's metrics run alone, so no other test's batches show up in them.</summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public sealed class QuantizedModelTests
{
    [FixtureFact]
    public void Quantized_models_can_run_one_sequence_at_a_time()
    {
        var sizes = new List<int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Diagnostics.EmbeddingsTelemetry.MeterName && instrument.Name == "embeddings.batch.size") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => { lock (sizes) sizes.Add(value); });
        listener.Start();
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"), new OnnxEmbedderOptions().With(o =>
        {
            o.ModelFile.DynamicallyQuantized = true; // declared, as for a model_quantized.onnx
            o.Embedder.BatchIndependentResults = true;
        }));
        Assert.True(embedder.Info.BatchDependent);
        embedder.Embed(["one", "two words", "three words here"], new EmbedOptions { MaxBatchSize = 64 });
        listener.Dispose();
        lock (sizes) Assert.Equal([1, 1, 1], sizes.TakeLast(3));
    }

}

internal static class OptionsExtensions
{
    public static OnnxEmbedderOptions With(this OnnxEmbedderOptions options, Action<OnnxEmbedderOptions> configure)
    {
        configure(options);
        return options;
    }
}
