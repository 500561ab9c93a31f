using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>The meter and activity source see every call, so these tests run alone: other tests' calls would be counted too.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>Per-call metrics (requests, texts, tokens) and the embeddings.embed activity, observed through real listeners.</summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, long Value, string? Operation)> _values = new();

        public RecordedMeasurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EmbeddingsTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? operation = null;
            foreach (var tag in tags) if (tag.Key == EmbeddingsTelemetry.OperationTag) operation = (string?)tag.Value;
            _values.Enqueue((instrument.Name, value, operation));
        }

        public long Sum(string instrument, string operation) =>
            _values.Where(v => v.Instrument == instrument && v.Operation == operation).Sum(v => v.Value);

        public int Count(string instrument) => _values.Count(v => v.Instrument == instrument);

        public void Dispose() => _listener.Dispose();
    }

    private static readonly string[] Texts = ["The cat sits on the mat.", "A feline rests on a rug.", ""];

    [FixtureFact]
    public void Embed_counts_one_request_its_texts_and_the_tokens_fed_to_the_model()
    {
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        using var measurements = new RecordedMeasurements();

        var result = embedder.Embed(Texts);

        Assert.Equal(1, measurements.Sum("embeddings.requests", "embed"));
        Assert.Equal(Texts.Length, measurements.Sum("embeddings.texts", "embed"));
        Assert.Equal(result.TotalTokens, measurements.Sum("embeddings.tokens", "embed"));
        Assert.True(measurements.Count("embeddings.batch.size") >= 1);
    }

    [FixtureFact]
    public void Token_embeddings_count_the_special_tokens_fed_to_the_model_even_when_left_out_of_the_result()
    {
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        long expected = embedder.Embed(Texts).TotalTokens;
        using var measurements = new RecordedMeasurements();

        embedder.EmbedTokens(Texts);
        embedder.EmbedTokens(Texts, new TokenEmbeddingOptions { IncludeSpecialTokens = false });

        Assert.Equal(2, measurements.Sum("embeddings.requests", "tokens"));
        Assert.Equal(2 * expected, measurements.Sum("embeddings.tokens", "tokens"));
    }

    [FixtureFact]
    public async Task Sparse_and_chunk_calls_count_requests_texts_and_the_tokens_fed_to_the_model()
    {
        using var splade = OnnxEmbedder.Create(Fixtures.ModelDir("splade-tiny"));
        using var dense = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        using var measurements = new RecordedMeasurements();

        await splade.EmbedSparseAsync(Texts);
        dense.LateChunk(["First sentence. Second sentence."]);

        Assert.Equal(1, measurements.Sum("embeddings.requests", "sparse"));
        Assert.Equal(Texts.Length, measurements.Sum("embeddings.texts", "sparse"));
        Assert.Equal(1, measurements.Sum("embeddings.requests", "chunk"));
        Assert.Equal(1, measurements.Sum("embeddings.texts", "chunk"));
        Assert.Equal(Texts.Sum(t => splade.Tokenizer.Encode(t).Length), measurements.Sum("embeddings.tokens", "sparse"));
        // One window: the document's tokens plus [CLS] and [SEP].
        Assert.Equal(dense.Tokenizer.Encode("First sentence. Second sentence.").Length, measurements.Sum("embeddings.tokens", "chunk"));
    }

    [FixtureFact]
    public void A_failed_call_counts_no_request()
    {
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        using var measurements = new RecordedMeasurements();
        Assert.Throws<NotSupportedException>(() => embedder.EmbedSparse(Texts));
        Assert.Equal(0, measurements.Sum("embeddings.requests", "sparse"));
    }

    [FixtureFact]
    public void Each_call_is_one_embeddings_embed_activity_that_parents_its_model_runs()
    {
        using var embedder = OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"));
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EmbeddingsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var parent = new Activity("test").Start();

        embedder.Embed(Texts, new EmbedOptions { MaxBatchSize = 1 });
        Assert.Throws<NotSupportedException>(() => embedder.EmbedSparse(Texts));

        var mine = stopped.Where(a => a.TraceId == parent.TraceId).ToArray();
        var calls = mine.Where(a => a.OperationName == "embeddings.embed").ToArray();
        Assert.Equal(2, calls.Length);
        Assert.Equal("embed", calls[0].GetTagItem(EmbeddingsTelemetry.OperationTag));
        Assert.Equal(Texts.Length, calls[0].GetTagItem("embeddings.texts"));
        Assert.Equal(ActivityStatusCode.Unset, calls[0].Status);
        Assert.Equal("sparse", calls[1].GetTagItem(EmbeddingsTelemetry.OperationTag));
        Assert.Equal(ActivityStatusCode.Error, calls[1].Status);

        var runs = mine.Where(a => a.OperationName == "embeddings.inference").ToArray();
        Assert.Equal(3, runs.Length); // three texts (the empty one still has [CLS] [SEP]), one per batch
        Assert.All(runs, run => Assert.Equal(calls[0].SpanId, run.ParentSpanId));
    }
}
