using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>The micro-batching queue behind the asynchronous methods, on the bert-mean-tiny fixture.</summary>
[Collection(nameof(MetricsCollection))]
public sealed class MicroBatchQueueTests
{
    private static Embedder Load(EmbeddingQueueOptions queue) =>
        OnnxEmbedder.Create(Fixtures.ModelDir("bert-mean-tiny"), new OnnxEmbedderOptions { Embedder = { Queue = queue } });

    private static string Text(int i) => string.Join(' ', Enumerable.Repeat($"word{i}", 1 + i % 9));

    [FixtureFact]
    public async Task Concurrent_callers_share_batches_and_each_gets_its_own_rows()
    {
        var batchSizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EmbeddingsTelemetry.MeterName && instrument.Name == "embeddings.batch.size") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => { lock (batchSizes) batchSizes.Add(value); });
        listener.Start();

        using var embedder = Load(new EmbeddingQueueOptions { MaxWait = TimeSpan.FromMilliseconds(200) });
        var requests = Enumerable.Range(0, 24).Select(i => (Texts: new[] { Text(i), Text(i + 100) }, Options: new EmbedOptions
        {
            PromptName = i % 3 == 0 ? "query" : null,
            Dimensions = i % 4 == 0 ? 16 : null,
        })).ToArray();
        var results = await Task.WhenAll(requests.Select(r => embedder.EmbedAsync(r.Texts, r.Options)));
        listener.Dispose();

        for (int i = 0; i < requests.Length; i++)
        {
            var expected = embedder.Embed(requests[i].Texts, requests[i].Options);
            Assert.Equal(expected.Dimensions, results[i].Dimensions);
            for (int k = 0; k < expected.Data.Length; k++)
                Assert.True(Math.Abs(expected.Data.Span[k] - results[i].Data.Span[k]) <= 1e-5f, $"request {i} value {k}");
        }
        lock (batchSizes) Assert.Contains(batchSizes, size => size > 2); // requests of two texts were merged
    }

    [FixtureFact]
    public async Task Token_and_sparse_requests_go_through_the_queue_too()
    {
        using var embedder = Load(new EmbeddingQueueOptions());
        var tokens = embedder.EmbedTokensAsync(["Hello world"]);
        var dense = embedder.EmbedAsync(["Hello world"]);
        Assert.Equal(4, (await tokens)[0].Count);
        Assert.Equal(32, (await dense).Dimensions);
        await Assert.ThrowsAsync<NotSupportedException>(() => embedder.EmbedSparseAsync(["x"]));
    }

    [FixtureFact]
    public async Task A_full_queue_refuses_requests_instead_of_growing()
    {
        // Every request arrives long before the first round may start, so the limit alone decides.
        using var embedder = Load(new EmbeddingQueueOptions { MaxWait = TimeSpan.FromSeconds(3), MaxQueuedTokens = 40 });
        int tokens = embedder.Tokenizer.Encode(Text(8)).Length; // 20
        var requests = Enumerable.Range(0, 20).Select(_ => embedder.EmbedAsync([Text(8)])).ToArray();
        var outcomes = await Task.WhenAll(requests.Select(async t =>
        {
            try { return (await t).Count == 1; }
            catch (EmbeddingQueueFullException) { return false; }
        }));
        Assert.Equal(40 / tokens, outcomes.Count(ok => ok)); // as many as fit in 40 tokens, no more
        var after = await embedder.EmbedAsync([Text(8)]); // the queue drained: accepted again
        Assert.Single(after);
    }

    [FixtureFact]
    public async Task A_cancelled_request_ends_and_others_still_complete()
    {
        using var embedder = Load(new EmbeddingQueueOptions { MaxWait = TimeSpan.FromMilliseconds(300) });
        using var cancel = new CancellationTokenSource();
        var doomed = embedder.EmbedAsync(["to be cancelled"], cancellationToken: cancel.Token);
        var kept = embedder.EmbedAsync(["kept"]);
        await Task.Delay(50);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => doomed);
        Assert.Equal(32, (await kept).Dimensions);
    }

    [FixtureFact]
    public async Task Disposing_fails_waiting_requests_and_refuses_new_ones()
    {
        var embedder = Load(new EmbeddingQueueOptions { MaxWait = TimeSpan.FromSeconds(5) });
        var waiting = embedder.EmbedAsync(["waiting"]);
        await Task.Delay(100);
        embedder.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => embedder.EmbedAsync(["later"]));
    }
}
