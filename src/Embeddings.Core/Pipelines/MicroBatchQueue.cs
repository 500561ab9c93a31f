using System.Diagnostics;
using System.Threading.Channels;
using Embeddings.Batching;
using Embeddings.Diagnostics;

namespace Embeddings.Pipelines;

/// <summary>
/// Micro-batching for concurrent callers, as TEI does it: a request waits at most
/// <see cref="EmbeddingQueueOptions.MaxWait"/> for others (or until a batch's worth of tokens has arrived),
/// then all waiting requests that read the same model output run as one length-sorted set of batches and
/// each caller gets its own rows. The queue is bounded by tokens: when full, new requests are refused at once
/// with <see cref="EmbeddingQueueFullException"/> rather than queued without limit.
/// </summary>
/// <remarks>
/// One worker runs rounds one after another; the model itself uses all the cores it was given. A cancelled
/// request completes as cancelled at once: if its round has not started it is dropped from it, and if the round
/// is running (it serves other callers too, so it is not stopped) its rows are discarded when it ends; its tokens
/// count against the queue's bound until then. If a merged round fails, its requests are retried one by one so
/// only the faulty one fails.
/// <para>
/// A queued call obeys its own batch limits and progress exactly as a direct call does: calls merge only when they
/// read the same output and have the same <see cref="BatchingOptions.MaxBatchTokens"/> and
/// <see cref="BatchingOptions.MaxBatchSize"/> (calls with different limits run as separate sets in the same round),
/// so a call alone forms the batches it would form directly; each call's progress counts its own sequences
/// (done / total of that call), reported after every batch that held any of them.
/// </para>
/// </remarks>
internal sealed class MicroBatchQueue : IDisposable
{
    private readonly BatchRunner _runner;
    private readonly EmbeddingQueueOptions _options;
    private readonly int _maxBatchTokens;
    private readonly Channel<Entry> _channel = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _worker;
    private long _queuedTokens;

    private abstract class Entry
    {
        public required PreparedCall Call { get; init; }
        public required CancellationToken CancellationToken { get; init; }
        public required long Tokens { get; init; }
        public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();
        public CancellationTokenRegistration Registration { get; set; }

        public abstract void Succeed();
        public abstract void Fail(Exception error);
        public abstract void Cancel();
    }

    private sealed class Entry<TResult> : Entry
    {
        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Succeed()
        {
            if (CancellationToken.IsCancellationRequested) { Cancel(); return; }
            try
            {
                Completion.TrySetResult(((PreparedCall<TResult>)Call).Finish());
            }
            catch (Exception e)
            {
                Completion.TrySetException(e);
            }
        }

        public override void Fail(Exception error) => Completion.TrySetException(error);

        public override void Cancel() => Completion.TrySetCanceled(CancellationToken.IsCancellationRequested ? CancellationToken : new CancellationToken(true));
    }

    /// <param name="runner">Runs the merged batches.</param>
    /// <param name="options">Wait and bound.</param>
    /// <param name="maxBatchTokens">The embedder's batch budget: a round stops gathering once it holds this many tokens.</param>
    public MicroBatchQueue(BatchRunner runner, EmbeddingQueueOptions options, int maxBatchTokens)
    {
        _runner = runner;
        _options = options;
        _maxBatchTokens = maxBatchTokens;
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>Tokens of the requests waiting or running.</summary>
    public long QueuedTokens => Interlocked.Read(ref _queuedTokens);

    /// <summary>Queues a prepared call; completes when its round has run.</summary>
    /// <exception cref="EmbeddingQueueFullException">The queue holds its maximum of tokens.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public Task<TResult> EnqueueAsync<TResult>(PreparedCall<TResult> call, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
        long tokens = Math.Max(1, call.TokenCount);
        // Reserve only if the request fits, in one step: adding first and taking back on refusal would let a refused
        // request's tokens crowd out a concurrent one that fits, and make the count pass the bound for a moment.
        long held = Interlocked.Read(ref _queuedTokens);
        while (true)
        {
            // A request larger than the whole queue is still taken when the queue is empty, so it can ever run.
            if (held + tokens > _options.MaxQueuedTokens && held != 0)
                throw new EmbeddingQueueFullException(
                    $"The embedding queue holds {held} tokens; this request's {tokens} would pass its limit of {_options.MaxQueuedTokens}. Retry later.");
            long seen = Interlocked.CompareExchange(ref _queuedTokens, held + tokens, held);
            if (seen == held) break;
            held = seen;
        }
        var entry = new Entry<TResult> { Call = call, CancellationToken = cancellationToken, Tokens = tokens };
        // The caller is answered the moment it cancels, not when the round it may be part of ends.
        entry.Registration = cancellationToken.UnsafeRegister(static state => ((Entry)state!).Cancel(), entry);
        if (!_channel.Writer.TryWrite(entry))
        {
            entry.Registration.Dispose();
            Interlocked.Add(ref _queuedTokens, -tokens);
            throw new ObjectDisposedException(nameof(MicroBatchQueue));
        }
        return entry.Completion.Task;
    }

    private async Task WorkAsync()
    {
        var reader = _channel.Reader;
        var round = new List<Entry>();
        try
        {
            while (await reader.WaitToReadAsync(_shutdown.Token).ConfigureAwait(false))
            {
                round.Clear();
                long tokens = 0;
                long deadline = Stopwatch.GetTimestamp() + (long)(_options.MaxWait.TotalSeconds * Stopwatch.Frequency);
                while (tokens < _maxBatchTokens)
                {
                    if (reader.TryRead(out var entry))
                    {
                        round.Add(entry);
                        tokens += entry.Tokens;
                        continue;
                    }
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (remaining <= TimeSpan.Zero) break;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
                    wait.CancelAfter(remaining);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
                    }
                    catch (OperationCanceledException) when (!_shutdown.IsCancellationRequested)
                    {
                        break; // the wait is over
                    }
                }
                if (round.Count == 0) continue;
                var taken = round.ToArray();
                round.Clear();
                RunRound(taken);
                if (_shutdown.IsCancellationRequested) break;
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var entry in round) Release(entry, e => e.Fail(new ObjectDisposedException(nameof(IEmbedder))));
            while (reader.TryRead(out var entry)) Release(entry, e => e.Fail(new ObjectDisposedException(nameof(IEmbedder))));
        }
    }

    private void RunRound(Entry[] round)
    {
        long now = Stopwatch.GetTimestamp();
        var live = new List<Entry>(round.Length);
        foreach (var entry in round)
        {
            EmbeddingsTelemetry.QueueWait.Record(Stopwatch.GetElapsedTime(entry.EnqueuedAt, now).TotalMilliseconds);
            if (entry.CancellationToken.IsCancellationRequested) Release(entry, e => e.Cancel());
            else live.Add(entry);
        }
        foreach (var group in live.GroupBy(e => (e.Call.OutputName, e.Call.Limits.MaxBatchTokens, e.Call.Limits.MaxBatchSize)))
        {
            var entries = group.ToArray();
            try
            {
                RunMerged(entries);
                foreach (var entry in entries) Release(entry, e => e.Succeed());
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                foreach (var entry in entries) Release(entry, e => e.Fail(new ObjectDisposedException(nameof(IEmbedder))));
            }
            catch (Exception) when (entries.Length > 1)
            {
                // Some request broke the merged run; run each alone so only that one fails.
                foreach (var entry in entries) RunAlone(entry);
            }
            catch (Exception e)
            {
                Release(entries[0], x => x.Fail(e));
            }
        }
    }

    private void RunAlone(Entry entry)
    {
        try
        {
            entry.Call.RunAlone(_runner, _shutdown.Token);
            Release(entry, e => e.Succeed());
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            Release(entry, e => e.Fail(new ObjectDisposedException(nameof(IEmbedder))));
        }
        catch (Exception error)
        {
            Release(entry, e => e.Fail(error));
        }
    }

    private void RunMerged(Entry[] entries)
    {
        var ids = new List<int[]>();
        var typeIds = new List<int[]>();
        var owner = new List<(PreparedCall Call, int Index, int Entry)>();
        for (int e = 0; e < entries.Length; e++)
        {
            var call = entries[e].Call;
            for (int i = 0; i < call.Ids.Count; i++)
            {
                ids.Add(call.Ids[i]);
                typeIds.Add(call.TypeIds[i]);
                owner.Add((call, i, e));
            }
        }
        var limits = entries[0].Call.Limits;
        var done = new int[entries.Length];
        var touched = new HashSet<int>();
        _runner.Run(ids, typeIds, entries[0].Call.OutputName, limits.MaxBatchTokens, limits.MaxBatchSize, _shutdown.Token,
            (index, rows, mask, width) => owner[index].Call.OnRow(owner[index].Index, rows, mask, width), attendedLengths: null,
            batchDone: (plan, batch) =>
            {
                touched.Clear();
                for (int i = batch.Start; i < batch.Start + batch.Count; i++)
                {
                    int entry = owner[plan.Order[i]].Entry;
                    done[entry]++;
                    touched.Add(entry);
                }
                foreach (int entry in touched)
                    entries[entry].Call.Limits.Progress?.Report(new EmbeddingProgress(done[entry], entries[entry].Call.Ids.Count));
            });
    }

    private void Release(Entry entry, Action<Entry> complete)
    {
        entry.Registration.Dispose();
        Interlocked.Add(ref _queuedTokens, -entry.Tokens);
        complete(entry);
    }

    /// <summary>Stops the worker; waiting and running requests fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_shutdown.IsCancellationRequested) return;
        _shutdown.Cancel();
        _channel.Writer.TryComplete();
        try
        {
            _worker.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }
    }
}
