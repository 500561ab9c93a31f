using System.Collections.Concurrent;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// One instance shared by many threads: every caller gets exactly its own answer, and disposing while calls run
/// ends them cleanly (docs/reliability.md, "Concurrency").
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class ConcurrencyTests(WorkloadModel model) : IClassFixture<WorkloadModel>
{
    private const int Threads = 16;
    private const int CallsPerThread = 500;

    /// <summary>A thread that ends is joined within this bound; a hang fails the test instead of stalling the run.</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(2);

    [FixtureFact]
    public void Sixteen_threads_of_mixed_calls_get_bitwise_the_results_of_the_same_calls_made_serially()
    {
        using var embedder = model.Create();
        var calls = MixedCall.Plan(Threads * CallsPerThread, CorpusTexts.Mixed(), seed: 11);
        var expected = calls.Select(call => call.Run(embedder)).ToArray();
        var mismatches = new ConcurrentQueue<string>();
        int completed = 0;

        RunOnThreads(Threads, (thread, start) =>
        {
            start.SignalAndWait();
            for (int i = thread * CallsPerThread; i < (thread + 1) * CallsPerThread; i++)
            {
                if (expected[i].Difference(calls[i].Run(embedder)) is { } difference) mismatches.Enqueue($"call {i} ({calls[i]}): {difference}");
                Interlocked.Increment(ref completed);
            }
        });

        Assert.Empty(mismatches);
        Assert.Equal(calls.Length, completed);
        Assert.Equal(MixedCall.MethodCount, calls.Select(c => c.Method).Distinct().Count());
    }

    [FixtureFact]
    public void Concurrent_callers_through_the_micro_batching_queue_each_get_their_own_results()
    {
        using var embedder = model.Create(new EmbedderOptions { Queue = new EmbeddingQueueOptions() });
        // The queue merges requests into shared batches, so results agree to the batch-invariance bound, not bitwise.
        var calls = MixedCall.Plan(Threads * 100, CorpusTexts.Mixed(), seed: 12);
        var expected = calls.Select(call => call.Run(embedder)).ToArray();
        var mismatches = new ConcurrentQueue<string>();

        RunOnThreads(Threads, (thread, start) =>
        {
            start.SignalAndWait();
            for (int i = thread * 100; i < (thread + 1) * 100; i++)
                if (expected[i].Difference(calls[i].Run(embedder), tolerance: 1e-5f) is { } difference) mismatches.Enqueue($"call {i} ({calls[i]}): {difference}");
        });

        Assert.Empty(mismatches);
    }

    [FixtureTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Disposing_while_calls_run_ends_each_with_its_result_or_ObjectDisposedException(bool queue)
    {
        var calls = MixedCall.Plan(400, CorpusTexts.Mixed(), seed: 13);
        ResultFingerprint[] expected;
        using (var reference = model.Create()) expected = calls.Select(call => call.Run(reference)).ToArray();
        var embedder = model.Create(new EmbedderOptions { Queue = queue ? new EmbeddingQueueOptions() : null });
        var wrong = new ConcurrentQueue<string>();
        int completed = 0, refused = 0;

        var workers = StartThreads(8, (thread, start) =>
        {
            start.SignalAndWait();
            for (int i = thread; ; i = (i + 8) % calls.Length)
            {
                try
                {
                    if (expected[i].Difference(calls[i].Run(embedder), tolerance: queue ? 1e-5f : 0) is { } difference)
                        wrong.Enqueue($"call {i} ({calls[i]}) completed with a wrong result: {difference}");
                    Interlocked.Increment(ref completed);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
                catch (Exception e)
                {
                    wrong.Enqueue($"call {i} ({calls[i]}) threw {e.GetType().Name}: {e.Message}");
                    return;
                }
            }
        });
        SpinWait.SpinUntil(() => Volatile.Read(ref completed) >= 100 || !wrong.IsEmpty);
        embedder.Dispose();

        Assert.All(workers, worker => Assert.True(worker.Join(HangBound), "a call did not end after the embedder was disposed"));
        Assert.Empty(wrong);
        Assert.Equal(8, refused);
        foreach (var call in calls.DistinctBy(c => c.Method))
            Assert.Throws<ObjectDisposedException>(() => call.Run(embedder));
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> dedicated threads released together, and waits for all.</summary>
    private static void RunOnThreads(int count, Action<int, Barrier> body)
    {
        var failures = new ConcurrentQueue<Exception>();
        var threads = StartThreads(count, (thread, start) =>
        {
            try
            {
                body(thread, start);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        });
        Assert.All(threads, thread => Assert.True(thread.Join(HangBound), "a worker thread did not finish"));
        if (!failures.IsEmpty) throw new AggregateException(failures);
    }

    private static Thread[] StartThreads(int count, Action<int, Barrier> body)
    {
        var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() => body(t, start)) { IsBackground = true }).ToArray();
        foreach (var thread in threads) thread.Start();
        return threads;
    }
}
