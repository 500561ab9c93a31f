namespace Embeddings;

/// <summary>
/// The micro-batching queue for concurrent callers (as in TEI): requests arriving close together are run as
/// one set of batches, and each caller gets its own rows. Enable it with <see cref="EmbedderOptions.Queue"/>;
/// it serves the asynchronous methods (<c>EmbedAsync</c>, <c>EmbedTokensAsync</c>, <c>EmbedSparseAsync</c>).
/// </summary>
public sealed class EmbeddingQueueOptions
{
    private TimeSpan _maxWait = TimeSpan.FromMilliseconds(2);
    private int _maxQueuedTokens = 262_144;

    /// <summary>How long the first request of a round waits for others to join it, unless the token budget fills
    /// first. Default 2 ms: invisible next to a model run, long enough for concurrent requests to meet.</summary>
    public TimeSpan MaxWait
    {
        get => _maxWait;
        set => _maxWait = value >= TimeSpan.Zero && value <= TimeSpan.FromSeconds(10)
            ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be between 0 and 10 seconds.");
    }

    /// <summary>Tokens waiting or running, summed over requests, beyond which new requests are refused with
    /// <see cref="EmbeddingQueueFullException"/>. Bounds the queue's memory. Default 262,144.</summary>
    public int MaxQueuedTokens
    {
        get => _maxQueuedTokens;
        set => _maxQueuedTokens = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.");
    }

    /// <summary>A copy of these options.</summary>
    public EmbeddingQueueOptions Clone() => (EmbeddingQueueOptions)MemberwiseClone();
}
