using Embeddings.Chunking;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Reliability.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Reliability.Tests;

/// <summary>
/// Cancellation ends a call without waiting for its work: a running model run is stopped by the runtime's
/// terminate flag, no further batch starts, and a queued caller is answered at once (docs/reliability.md,
/// "Cancellation"). Proven by where the call stopped, not by how long it took.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class CancellationTests(WorkloadModel workload) : IClassFixture<WorkloadModel>
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    /// <summary>An embedder over <paramref name="directory"/> whose backend is observed.</summary>
    private static (Embedder Embedder, ObservedBackend Backend) Observed(string directory, ObservedBackend? backend = null, EmbedderOptions? options = null)
    {
        var folder = ModelFolder.Open(directory);
        backend ??= new ObservedBackend(OnnxInferenceBackend.Create(OnnxModelFile.Find(folder)));
        return (Embedder.Create(folder, OnnxEmbedder.LoadTokenizer(folder), backend, options), backend);
    }

    private static string Words(int count, int seed) =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => ((i * 7919 + seed) % 5) switch { 0 => "alpha", 1 => "beta.", 2 => "gamma", 3 => "delta", _ => "epsilon" }));

    /// <summary>One call whose work is a single large batch (a second or more on two cores), so a cancellation lands inside the run.</summary>
    private static Func<Embedder, CancellationToken, object> LargeCall(string method) => method switch
    {
        "Embed" => (e, ct) => e.Embed(Texts(32), new EmbedOptions { MaxBatchTokens = 32 * 512, MaxBatchSize = 32 }, ct),
        "EmbedAsync" => (e, ct) => e.EmbedAsync(Texts(32), new EmbedOptions { MaxBatchTokens = 32 * 512, MaxBatchSize = 32 }, ct).GetAwaiter().GetResult(),
        "EmbedTokens" => (e, ct) => e.EmbedTokens(Texts(32), new TokenEmbeddingOptions { MaxBatchTokens = 32 * 512, MaxBatchSize = 32 }, ct),
        "EmbedTokensAsync" => (e, ct) => e.EmbedTokensAsync(Texts(32), new TokenEmbeddingOptions { MaxBatchTokens = 32 * 512, MaxBatchSize = 32 }, ct).GetAwaiter().GetResult(),
        "EmbedSparse" => (e, ct) => e.EmbedSparse(Texts(8), new SparseEmbeddingOptions { MaxBatchTokens = 8 * 512, MaxBatchSize = 8 }, ct),
        "EmbedSparseAsync" => (e, ct) => e.EmbedSparseAsync(Texts(8), new SparseEmbeddingOptions { MaxBatchTokens = 8 * 512, MaxBatchSize = 8 }, ct).GetAwaiter().GetResult(),
        "LateChunk" => (e, ct) => e.LateChunk([Words(16 * 500, 1), Words(16 * 500, 2)],
            new LateChunkOptions { MaxBatchTokens = 40 * 512, MaxBatchSize = 40, Chunker = new TokenWindowChunker(64) }, ct),
        "LateChunkAsync" => (e, ct) => e.LateChunkAsync([Words(16 * 500, 1), Words(16 * 500, 2)],
            new LateChunkOptions { MaxBatchTokens = 40 * 512, MaxBatchSize = 40, Chunker = new TokenWindowChunker(64) }, ct).GetAwaiter().GetResult(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    private static string[] Texts(int count) => Enumerable.Range(0, count).Select(i => Words(600, i)).ToArray();

    [FixtureTheory]
    [InlineData("Embed")]
    [InlineData("EmbedAsync")]
    [InlineData("EmbedTokens")]
    [InlineData("EmbedTokensAsync")]
    [InlineData("EmbedSparse")]
    [InlineData("EmbedSparseAsync")]
    [InlineData("LateChunk")]
    [InlineData("LateChunkAsync")]
    public void Cancelling_during_a_model_run_stops_it_inside_the_runtime(string method)
    {
        // Sparse calls need the masked-LM head of the generated model; the others run the bert-mean-tiny fixture.
        var (embedder, backend) = Observed(method.StartsWith("EmbedSparse", StringComparison.Ordinal) ? workload.Directory : Fixtures.ModelDir("bert-mean-tiny"));
        using var _ = embedder;
        var call = LargeCall(method);

        var error = CancelOnceRunning(embedder, backend, call);

        // The runtime's terminate flag stopped the run: its status is kept as the inner exception.
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        Assert.Equal(32, embedder.Info.Dimensions);
        Assert.Single(embedder.Embed(["the embedder still works after a cancelled run"]));
    }

    [FixtureFact]
    public void A_cancelled_call_starts_no_further_batch()
    {
        using var cancellation = new CancellationTokenSource();
        var (embedder, backend) = Observed(Fixtures.ModelDir("bert-mean-tiny"),
            new ObservedBackend(OnnxInferenceBackend.Create(OnnxModelFile.Find(ModelFolder.Open(Fixtures.ModelDir("bert-mean-tiny")))))
            {
                BeforeRun = number => { if (number == 3) cancellation.Cancel(); },
            });
        using var _ = embedder;
        var texts = Enumerable.Range(0, 20_000).Select(i => $"text number {i}").ToArray();

        var error = Assert.ThrowsAny<OperationCanceledException>(() =>
            embedder.Embed(texts, new EmbedOptions { MaxBatchSize = 16 }, cancellation.Token));

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(3, backend.Runs); // cancelled as the third batch began: it did not run, and nothing after it started
    }

    [FixtureFact]
    public void A_token_cancelled_before_the_call_runs_nothing()
    {
        var (embedder, backend) = Observed(workload.Directory);
        using var _ = embedder;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        foreach (var call in MixedCall.Plan(32, ["one text", "another text"], seed: 5))
            Assert.ThrowsAny<OperationCanceledException>(() => call.Run(embedder, cancelled.Token));

        Assert.Equal(0, backend.Runs);
    }

    [FixtureFact]
    public async Task A_queued_caller_that_cancels_is_answered_at_once_even_while_its_round_runs()
    {
        using var gate = new ManualResetEventSlim(initialState: true);
        var (embedder, backend) = Observed(Fixtures.ModelDir("bert-mean-tiny"),
            new ObservedBackend(OnnxInferenceBackend.Create(OnnxModelFile.Find(ModelFolder.Open(Fixtures.ModelDir("bert-mean-tiny"))))) { Gate = gate },
            new EmbedderOptions { Queue = new EmbeddingQueueOptions { MaxWait = TimeSpan.FromMilliseconds(50) } });
        using var _ = embedder;
        using var cancellation = new CancellationTokenSource();
        var expected = embedder.Embed(["kept"]).ToArray(0);
        gate.Reset();
        backend.RunStarted.Reset();

        Task<EmbeddingResult> doomed, kept;
        bool answeredWhileHeld;
        try
        {
            doomed = embedder.EmbedAsync(["doomed"], cancellationToken: cancellation.Token);
            kept = embedder.EmbedAsync(["kept"]);
            Assert.True(backend.RunStarted.Wait(HangBound), "the queue never started a round");
            cancellation.Cancel();
            // The round is held at the gate, so only an immediate answer can complete the cancelled request now.
            answeredWhileHeld = await Task.WhenAny(doomed, Task.Delay(HangBound)) == doomed;
            Assert.False(kept.IsCompleted);
        }
        finally
        {
            gate.Set();
        }

        Assert.True(answeredWhileHeld, "the cancelled request waited for its round to end");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => doomed);
        Assert.Equal(expected, (await kept).ToArray(0));
        Assert.Single(await embedder.EmbedAsync(["the queue still takes requests"]));
    }

    /// <summary>
    /// Runs <paramref name="call"/> and cancels it from a dedicated thread shortly after its first model run has
    /// started (a thread, not a timer, so a busy thread pool cannot delay it). A run that still finishes first is
    /// tried again, a few times.
    /// </summary>
    private static OperationCanceledException CancelOnceRunning(Embedder embedder, ObservedBackend backend, Func<Embedder, CancellationToken, object> call)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            using var cancellation = new CancellationTokenSource();
            backend.RunStarted.Reset();
            var canceller = new Thread(() =>
            {
                if (backend.RunStarted.Wait(HangBound)) Thread.Sleep(20);
                cancellation.Cancel();
            });
            canceller.Start();
            try
            {
                call(embedder, cancellation.Token);
            }
            catch (OperationCanceledException e) when (e.InnerException is not null)
            {
                Assert.Equal(cancellation.Token, e.CancellationToken);
                return e;
            }
            catch (OperationCanceledException)
            {
                // Cancelled between the run's start signal and the runtime: the runtime never saw it. Try again.
            }
            finally
            {
                canceller.Join();
            }
        }
        throw new Xunit.Sdk.XunitException("In five attempts, no model run was stopped by its cancellation token while running.");
    }
}
