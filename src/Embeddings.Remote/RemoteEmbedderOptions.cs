namespace Embeddings.Remote;

/// <summary>How a <see cref="RemoteEmbedder"/> talks to its server. Setters validate; <see cref="Clone"/> copies.</summary>
public sealed class RemoteEmbedderOptions
{
    private int _maxConcurrency = 4;
    private int _maxRetries = 4;
    private int? _maxBatchSize;
    private TimeSpan _initialBackoff = TimeSpan.FromMilliseconds(200);
    private TimeSpan _maxBackoff = TimeSpan.FromSeconds(10);
    private TimeSpan _requestTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The client to send requests with; null creates one the embedder owns. A caller's client is not disposed with the
    /// embedder, and its <see cref="HttpClient.BaseAddress"/> and timeout are not used (the endpoint and
    /// <see cref="RequestTimeout"/> are).
    /// </summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer KEY</c> (TEI's and the Embeddings server's <c>--api-key</c>); null sends none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Requests one embedder has in flight at once, across all its calls (default 4).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.");
    }

    /// <summary>
    /// Inputs per request at most; null (the default) sends as many as the server's <c>max_client_batch_size</c>
    /// (from /info) allows. A larger value is capped by the server's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int? MaxBatchSize
    {
        get => _maxBatchSize;
        set => _maxBatchSize = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>
    /// Times a request is tried again after 429 (overloaded), 503 (unavailable) or a failed connection (default 4;
    /// 0 never retries). Other answers are not retried: they would fail the same way.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 0.");
    }

    /// <summary>The wait before the first retry (default 200 ms); each further retry doubles it, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan InitialBackoff
    {
        get => _initialBackoff;
        set => _initialBackoff = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must not be negative.");
    }

    /// <summary>The longest wait between tries (default 10 s), also the cap on a server's <c>Retry-After</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxBackoff
    {
        get => _maxBackoff;
        set => _maxBackoff = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must not be negative.");
    }

    /// <summary>How long one request may take before it fails with <see cref="TimeoutException"/> (default 100 s); not retried.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        set => _requestTimeout = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive (or Timeout.InfiniteTimeSpan).");
    }

    /// <summary>A copy of these options.</summary>
    public RemoteEmbedderOptions Clone() => (RemoteEmbedderOptions)MemberwiseClone();
}
