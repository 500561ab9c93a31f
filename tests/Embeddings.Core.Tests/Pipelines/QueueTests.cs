namespace Embeddings.Core.Tests.Pipelines;

/// <summary>The micro-batching queue: per-call limits and progress as on the direct path, merging, routing, cancellation.</summary>
public class QueueTests
{
    private static readonly string[] Texts = Enumerable.Range(0, 13).Select(i => FakeModel.Text(1 + i * 7 % 11, i)).ToArray();

    private static EmbedderOptions Queued(TimeSpan? wait = null) =>
        new() { Queue = new EmbeddingQueueOptions { MaxWait = wait ?? TimeSpan.FromMilliseconds(1) } };

    private static IEnumerable<(int, int)> Shapes(FakeBackend backend) => backend.Batches.Select(b => (b.Size, b.Length));

    [Fact]
    public async Task A_queued_call_alone_forms_the_same_batches_and_progress_as_a_direct_call()
    {
        using var model = new FakeModel(new FakeBackend(), Queued());
        var directProgress = new ProgressLog();
        var direct = model.Embedder.Embed(Texts, new EmbedOptions { MaxBatchTokens = 30, MaxBatchSize = 3, Progress = directProgress });
        var directBatches = Shapes(model.Backend).ToArray();
        model.Backend.ClearBatches();

        var queuedProgress = new ProgressLog();
        var queued = await model.Embedder.EmbedAsync(Texts, new EmbedOptions { MaxBatchTokens = 30, MaxBatchSize = 3, Progress = queuedProgress });

        Assert.Equal(directBatches, Shapes(model.Backend));
        Assert.Equal(direct.Data.ToArray(), queued.Data.ToArray());
        Assert.Equal(directProgress.Reports, queuedProgress.Reports);
        Assert.Equal(new EmbeddingProgress(Texts.Length, Texts.Length), queuedProgress.Reports[^1]);
    }

    [Fact]
    public async Task Concurrent_calls_merge_and_each_caller_gets_its_own_rows_in_order()
    {
        using var release = new ManualResetEventSlim();
        var backend = new FakeBackend();
        using var model = new FakeModel(backend, Queued());
        var first = await OccupyTheWorkerAsync(model, backend, release);
        string[][] calls = [["w1 w2", "w3"], ["w4 w5 w6"], ["w7", "w8 w9"]];
        var tasks = calls.Select(texts => model.Embedder.EmbedAsync(texts, new EmbedOptions { Normalize = false })).ToArray();
        await WaitUntil(() => model.Embedder.QueuedTokens == 10);
        release.Set();
        var results = await Task.WhenAll(tasks);
        await first;

        // The three waiting calls share one round (and, at these sizes, one batch); the first ran alone.
        Assert.Equal(2, backend.Batches.Count);
        Assert.Equal(5, backend.Batches[1].Size);
        backend.BeforeRun = null;
        for (int c = 0; c < calls.Length; c++)
        {
            var alone = model.Embedder.Embed(calls[c], new EmbedOptions { Normalize = false });
            Assert.Equal(alone.Data.ToArray(), results[c].Data.ToArray());
        }
    }

    [Fact]
    public async Task Calls_with_different_limits_do_not_merge_and_each_keeps_its_own_progress()
    {
        using var release = new ManualResetEventSlim();
        var backend = new FakeBackend();
        using var model = new FakeModel(backend, Queued());
        var first = await OccupyTheWorkerAsync(model, backend, release);
        var small = new ProgressLog();
        var large = new ProgressLog();
        var a = model.Embedder.EmbedAsync(["w1", "w2", "w3"], new EmbedOptions { MaxBatchSize = 1, Progress = small });
        var b = model.Embedder.EmbedAsync(["w4", "w5"], new EmbedOptions { MaxBatchSize = 8, Progress = large });
        await WaitUntil(() => model.Embedder.QueuedTokens == 6);
        release.Set();
        await Task.WhenAll(first, a, b);

        var batches = backend.Batches.Skip(1).ToArray();
        Assert.Equal(4, batches.Length); // three single-sequence batches for the first call, one of two for the second
        Assert.Equal(new[] { 1, 1, 1, 2 }, batches.Select(x => x.Size).Order());
        Assert.Equal(new EmbeddingProgress[] { new(1, 3), new(2, 3), new(3, 3) }, small.Reports);
        Assert.Equal(new[] { new EmbeddingProgress(2, 2) }, large.Reports);
    }

    [Fact]
    public async Task A_call_cancelled_while_queued_is_dropped_and_others_still_run()
    {
        using var release = new ManualResetEventSlim();
        var backend = new FakeBackend();
        using var model = new FakeModel(backend, Queued());
        var first = await OccupyTheWorkerAsync(model, backend, release);
        using var cancel = new CancellationTokenSource();
        var cancelled = model.Embedder.EmbedAsync(["w1 w2 w3"], cancellationToken: cancel.Token);
        var kept = model.Embedder.EmbedAsync(["w4"]);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release.Set();
        await Task.WhenAll(first, kept);
        Assert.DoesNotContain(backend.Batches, b => b.Rows.Any(r => r.Length == 3));
        Assert.Equal(0, model.Embedder.QueuedTokens);
    }

    [Fact]
    public async Task A_call_cancelled_during_its_run_completes_as_cancelled_at_once()
    {
        using var release = new ManualResetEventSlim();
        var backend = new FakeBackend();
        using var model = new FakeModel(backend, Queued());
        backend.BeforeRun = token => release.Wait(token);
        using var cancel = new CancellationTokenSource();
        var running = model.Embedder.EmbedAsync(["w1 w2"], cancellationToken: cancel.Token);
        await WaitUntil(() => model.Embedder.QueuedTokens == 2);
        await Task.Delay(50);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        release.Set();
        await WaitUntil(() => model.Embedder.QueuedTokens == 0);
    }

    /// <summary>
    /// Blocks the backend until <paramref name="release"/> is set and starts a first one-token call, returning once
    /// the worker's round has taken it and is held in the backend, so the calls made next wait in the queue together.
    /// </summary>
    private static async Task<Task<EmbeddingResult>> OccupyTheWorkerAsync(FakeModel model, FakeBackend backend, ManualResetEventSlim release)
    {
        backend.BeforeRun = token => release.Wait(token);
        var first = model.Embedder.EmbedAsync(["w0"]);
        await WaitUntil(() => model.Embedder.QueuedTokens == 1 && backend.Batches.Count == 0);
        await Task.Delay(50); // the first round has taken the first call and is blocked in the backend
        return first;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never held.");
            await Task.Delay(5);
        }
    }
}
