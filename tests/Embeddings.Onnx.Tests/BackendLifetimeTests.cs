using Embeddings.Inference;
using Embeddings.Onnx.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Onnx.Tests;

/// <summary>Disposal, concurrent runs and cancellation.</summary>
public sealed class BackendLifetimeTests
{
    private static OnnxInferenceBackend CreateBert() => OnnxInferenceBackend.Create(ReferenceRecords.ModelFile("bert-mean-tiny"));

    private static InferenceBatch ReferenceBatch() =>
        Batches.Padded(ReferenceRecords.Tokens("bert-mean-tiny").Select(r => r.InputIds).ToArray(), padLeft: false, padId: 0);

    [FixtureFact]
    public void Disposing_twice_is_harmless()
    {
        var backend = CreateBert();

        backend.Dispose();
        backend.Dispose();
    }

    [FixtureFact]
    public void Run_after_dispose_throws_ObjectDisposedException()
    {
        var backend = CreateBert();
        backend.Dispose();

        Assert.Throws<ObjectDisposedException>(() => backend.Run(Batches.Single([101, 102]), "last_hidden_state"));
    }

    [FixtureFact]
    public void An_output_stays_readable_after_its_backend_is_disposed()
    {
        var backend = CreateBert();
        var batch = Batches.Single([101, 7592, 102]);
        float[] expected;
        using (var first = backend.Run(batch, "last_hidden_state")) expected = first.Data.ToArray();

        var output = backend.Run(batch, "last_hidden_state");
        backend.Dispose();

        // The output holds a reference on the native session, which is released only with the output.
        Assert.True(expected.AsSpan().SequenceEqual(output.Data), "The output changed when its backend was disposed.");
        output.Dispose();
        Assert.Throws<ObjectDisposedException>(() => output.Data.Length);
    }

    [FixtureFact]
    public void Concurrent_runs_from_eight_threads_give_bitwise_equal_results()
    {
        using var backend = CreateBert();
        var batch = ReferenceBatch();
        float[] expected;
        using (var output = backend.Run(batch, "last_hidden_state")) expected = output.Data.ToArray();
        const int threads = 8;
        const int runsPerThread = 10;
        using var start = new Barrier(threads);

        var mismatches = new int[threads];
        var workers = Enumerable.Range(0, threads).Select(worker => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int run = 0; run < runsPerThread; run++)
            {
                using var output = backend.Run(batch, "last_hidden_state");
                if (!output.Data.SequenceEqual(expected)) mismatches[worker]++;
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);

        Assert.All(mismatches, count => Assert.Equal(0, count));
    }

    [FixtureFact]
    public void Disposing_while_runs_are_in_flight_lets_each_finish_or_refuse_cleanly()
    {
        var backend = CreateBert();
        var batch = ReferenceBatch();
        float[] expected;
        using (var output = backend.Run(batch, "last_hidden_state")) expected = output.Data.ToArray();
        const int threads = 4;
        using var start = new Barrier(threads + 1);

        var outcomes = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            int completed = 0;
            for (int run = 0; run < 200; run++)
            {
                try
                {
                    using var output = backend.Run(batch, "last_hidden_state");
                    Assert.True(output.Data.SequenceEqual(expected), "A run that completed returned wrong values.");
                    completed++;
                }
                catch (ObjectDisposedException)
                {
                    return completed;
                }
            }
            return completed;
        }, TaskCreationOptions.LongRunning)).ToArray();
        start.SignalAndWait();
        backend.Dispose();

        Task.WaitAll(outcomes);
        Assert.Throws<ObjectDisposedException>(() => backend.Run(batch, "last_hidden_state"));
    }

    [FixtureFact]
    public void A_token_cancelled_before_the_run_throws_OperationCanceledException()
    {
        using var backend = CreateBert();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var error = Assert.Throws<OperationCanceledException>(() => backend.Run(Batches.Single([101, 102]), "last_hidden_state", cancellation.Token));

        Assert.Equal(cancellation.Token, error.CancellationToken);
    }

    [FixtureFact]
    public void A_token_cancelled_during_the_run_stops_it_with_OperationCanceledException()
    {
        using var backend = CreateBert();

        var error = CancelDuringRun(backend);

        // The terminate flag stopped ONNX Runtime mid-run: its status is kept as the inner exception.
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
    }

    [FixtureFact]
    public void The_backend_runs_normally_after_a_cancelled_run()
    {
        using var backend = CreateBert();
        var batch = Batches.Single([101, 7592, 102]);
        float[] expected;
        using (var output = backend.Run(batch, "last_hidden_state")) expected = output.Data.ToArray();
        CancelDuringRun(backend);

        using var again = backend.Run(batch, "last_hidden_state", CancellationToken.None);

        // Each run has its own run options, so the terminate flag of the cancelled one cannot stop this one.
        Assert.True(again.Data.SequenceEqual(expected), "A cancelled run left state behind.");
    }

    /// <summary>
    /// Cancels a long run (over a second on two cores) from a separate thread shortly after it starts and
    /// returns the exception. The canceller is a dedicated thread, not a timer, so a busy thread pool
    /// cannot delay it; a run that still finishes first is simply tried again.
    /// </summary>
    private static OperationCanceledException CancelDuringRun(OnnxInferenceBackend backend)
    {
        var batch = Batches.Synthetic(batchSize: 32, length: 512);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            using var cancellation = new CancellationTokenSource();
            var canceller = new Thread(() =>
            {
                Thread.Sleep(20);
                cancellation.Cancel();
            });
            canceller.Start();
            try
            {
                backend.Run(batch, "last_hidden_state", cancellation.Token).Dispose();
            }
            catch (OperationCanceledException e) when (e.InnerException is not null)
            {
                Assert.Equal(cancellation.Token, e.CancellationToken);
                return e;
            }
            catch (OperationCanceledException)
            {
                // Cancelled before the run began (this thread was descheduled for the whole delay): not what is tested here.
            }
            finally
            {
                canceller.Join();
            }
        }
        throw new Xunit.Sdk.XunitException("In five attempts, no run was stopped by its cancellation token while running.");
    }
}
