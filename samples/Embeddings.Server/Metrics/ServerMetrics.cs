using Prometheus;

namespace Embeddings.Server.Metrics;

/// <summary>
/// The server's Prometheus metrics, named as TEI names its own so existing dashboards and alerts carry over:
/// requests (<c>te_request_count</c>, <c>te_request_success</c>, <c>te_request_failure</c>), latency histograms in
/// seconds (<c>te_request_duration</c>, <c>te_request_queue_duration</c>, <c>te_batch_inference_duration</c>), tokens
/// per request (<c>te_request_input_length</c>), batch sizes (<c>te_batch_next_size</c>, <c>te_batch_next_tokens</c>)
/// and the queue (<c>te_queue_size</c>). Two have no TEI twin and say so by their prefix: <c>embeddings_tokens_total</c>
/// and <c>embeddings_queued_tokens</c>.
/// </summary>
/// <remarks>
/// Each server owns its registry (nothing global), so two servers in one process keep their request counts apart.
/// The model-run metrics come from the library's meter (<see cref="LibraryMetricsBridge"/>), which every embedder in
/// the process shares.
/// </remarks>
internal sealed class ServerMetrics : IDisposable
{
    private readonly LibraryMetricsBridge _bridge;

    /// <summary>Creates the registry and its instruments, and starts listening to the library's meter.</summary>
    /// <param name="queuedTokens">Reads the micro-batching queue's tokens at scrape time.</param>
    public ServerMetrics(Func<long> queuedTokens)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var seconds = new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) }; // 0.5 ms … 16 s
        var counts = new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 12) }; // 1 … 2048
        var tokens = new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 20) }; // 1 … 512 Ki

        RequestCount = factory.CreateCounter("te_request_count", "Requests received, by route.", "route");
        RequestSuccess = factory.CreateCounter("te_request_success", "Requests answered 2xx, by route.", "route");
        RequestFailure = factory.CreateCounter("te_request_failure", "Requests answered 4xx or 5xx, by route and status.", "route", "status");
        RequestDuration = factory.CreateHistogram("te_request_duration", "Seconds from a request's arrival to its answer, by route.",
            new HistogramConfiguration { Buckets = seconds.Buckets, LabelNames = ["route"] });
        QueueSize = factory.CreateGauge("te_queue_size", "Requests being served now (waiting for or inside a model run).");
        QueueDuration = factory.CreateHistogram("te_request_queue_duration", "Seconds a call waited in the micro-batching queue.", seconds);
        InferenceDuration = factory.CreateHistogram("te_batch_inference_duration", "Seconds inside the model per run.", seconds);
        InputLength = factory.CreateHistogram("te_request_input_length", "Tokens per library call (padding excluded).", tokens);
        BatchSize = factory.CreateHistogram("te_batch_next_size", "Sequences per model run.", counts);
        BatchTokens = factory.CreateHistogram("te_batch_next_tokens", "Padded tokens (sequences × padded length) per model run.", tokens);
        Tokens = factory.CreateCounter("embeddings_tokens_total", "Tokens fed to the model (padding excluded), by operation.", "operation");
        var queued = factory.CreateGauge("embeddings_queued_tokens", "Tokens waiting or running in the micro-batching queue.");
        Registry.AddBeforeCollectCallback(() => queued.Set(queuedTokens()));

        _bridge = new LibraryMetricsBridge(this);
    }

    /// <summary>The registry /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>te_request_count{route}.</summary>
    public Counter RequestCount { get; }

    /// <summary>te_request_success{route}.</summary>
    public Counter RequestSuccess { get; }

    /// <summary>te_request_failure{route,status}.</summary>
    public Counter RequestFailure { get; }

    /// <summary>te_request_duration{route}, seconds.</summary>
    public Histogram RequestDuration { get; }

    /// <summary>te_queue_size: requests in flight.</summary>
    public Gauge QueueSize { get; }

    /// <summary>te_request_queue_duration, seconds.</summary>
    public Histogram QueueDuration { get; }

    /// <summary>te_batch_inference_duration, seconds.</summary>
    public Histogram InferenceDuration { get; }

    /// <summary>te_request_input_length, tokens per call.</summary>
    public Histogram InputLength { get; }

    /// <summary>te_batch_next_size, sequences per run.</summary>
    public Histogram BatchSize { get; }

    /// <summary>te_batch_next_tokens, padded tokens per run.</summary>
    public Histogram BatchTokens { get; }

    /// <summary>embeddings_tokens_total{operation}.</summary>
    public Counter Tokens { get; }

    /// <summary>Stops listening to the library's meter.</summary>
    public void Dispose() => _bridge.Dispose();
}
