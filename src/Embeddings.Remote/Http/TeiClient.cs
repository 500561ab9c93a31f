using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Embeddings.Remote.Http;

/// <summary>
/// Sends one JSON request to a TEI-compatible server and returns its parsed answer: at most
/// <see cref="RemoteEmbedderOptions.MaxConcurrency"/> requests at once, retries with exponential backoff and jitter on
/// 429, 503 and failed connections (honouring <c>Retry-After</c>), a timeout per try, and the server's error answers
/// turned into typed exceptions (<see cref="ErrorTranslation"/>).
/// </summary>
internal sealed class TeiClient : IDisposable
{
    private readonly Uri _endpoint;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RemoteEmbedderOptions _options;
    private readonly SemaphoreSlim _slots;

    public TeiClient(Uri endpoint, RemoteEmbedderOptions options)
    {
        _endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _options = options;
        _ownsHttp = options.HttpClient is null;
        // The per-try timeout is ours (a linked token), so the client's own must not cut in first.
        _http = options.HttpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    /// <summary>The server's base address (ending in /).</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>GETs a route and parses its JSON answer.</summary>
    public Task<Answer> GetAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, route, null, cancellationToken);

    /// <summary>POSTs a JSON body (UTF-8 bytes) and parses the JSON answer.</summary>
    public Task<Answer> PostAsync(string route, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, route, body, cancellationToken);

    private async Task<Answer> SendAsync(HttpMethod method, string route, byte[]? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(_endpoint, route);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                TimeSpan? retryAfter;
                Exception failure;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    if (_options.RequestTimeout != Timeout.InfiniteTimeSpan) timeout.CancelAfter(_options.RequestTimeout);
                    try
                    {
                        using var request = new HttpRequestMessage(method, uri);
                        if (body is not null) request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
                        if (_options.ApiKey is { } key) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                        byte[] content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                        if (response.IsSuccessStatusCode) return Answer.Parse(uri, content, response.Headers);
                        failure = ErrorTranslation.FromAnswer(uri, (int)response.StatusCode, content);
                        if (!IsRetryable(response.StatusCode) || attempt >= _options.MaxRetries) throw failure;
                        retryAfter = RetryAfter(response.Headers.RetryAfter);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Our per-try timeout fired, not the caller's token. A slow answer is not retried: another try would
                        // add load to a server that is already behind.
                        throw new TimeoutException($"{method} {uri} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s.");
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null)
                    {
                        // No answer at all (refused, reset, DNS): the server may be restarting or a replica may be gone.
                        failure = new RemoteEmbedderException($"Could not reach {uri}: {e.Message}", uri, null, null, e);
                        if (attempt >= _options.MaxRetries) throw failure;
                        retryAfter = null;
                    }
                }
                await Task.Delay(Backoff(attempt, retryAfter), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    // Exponential with "full jitter" (a random wait up to the doubled bound), so clients that failed together do not
    // all come back at the same instant; a server's Retry-After wins, capped like everything else.
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        double cap = _options.MaxBackoff.TotalMilliseconds;
        if (retryAfter is { } asked) return TimeSpan.FromMilliseconds(Math.Clamp(asked.TotalMilliseconds, 0, cap));
        double bound = Math.Min(cap, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(bound / 2 + Random.Shared.NextDouble() * bound / 2);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _slots.Dispose();
    }

    /// <summary>A successful answer: its parsed JSON and headers.</summary>
    internal sealed class Answer : IDisposable
    {
        private Answer(JsonDocument document, HttpResponseHeaders headers)
        {
            Document = document;
            Headers = headers;
        }

        public JsonDocument Document { get; }

        public JsonElement Root => Document.RootElement;

        public HttpResponseHeaders Headers { get; }

        public static Answer Parse(Uri uri, byte[] content, HttpResponseHeaders headers)
        {
            try
            {
                return new Answer(JsonDocument.Parse(content), headers);
            }
            catch (JsonException e)
            {
                throw new RemoteEmbedderException($"{uri} answered 2xx with a body that is not JSON: {e.Message}", uri, 200, null, e);
            }
        }

        public void Dispose() => Document.Dispose();
    }
}
