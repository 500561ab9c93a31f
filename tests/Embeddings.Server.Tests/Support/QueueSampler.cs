namespace Embeddings.Server.Tests.Support;

/// <summary>
/// Reads <see cref="Embedder.QueuedTokens"/> about once a millisecond on a thread of its own, keeping the highest
/// value seen. A round in the queue lasts at least its 2 ms wait, so the sampler sees the queue in each state it
/// holds for a round.
/// </summary>
internal sealed class QueueSampler : IDisposable
{
    private readonly Embedder _embedder;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _highest;
    private long _samples;

    private QueueSampler(Embedder embedder)
    {
        _embedder = embedder;
        _thread = new Thread(Run) { IsBackground = true, Name = "queue sampler" };
    }

    /// <summary>The most tokens the queue was seen holding.</summary>
    public long Highest => Interlocked.Read(ref _highest);

    /// <summary>How many times the queue was read.</summary>
    public long Samples => Interlocked.Read(ref _samples);

    public static QueueSampler Start(Embedder embedder)
    {
        var sampler = new QueueSampler(embedder);
        sampler._thread.Start();
        return sampler;
    }

    private void Run()
    {
        while (!_stop)
        {
            long queued = _embedder.QueuedTokens;
            // This thread is the only writer.
            if (queued > _highest) Interlocked.Exchange(ref _highest, queued);
            Interlocked.Increment(ref _samples);
            Thread.Sleep(1);
        }
    }

    /// <summary>Stops sampling and waits for the sampler's thread.</summary>
    public void Dispose()
    {
        _stop = true;
        if (!_thread.Join(TimeSpan.FromSeconds(10))) throw new TimeoutException("The queue sampler did not stop.");
    }
}
