namespace Embeddings.Hub;

/// <summary>
/// Settings for <see cref="HubClient"/>. A new instance takes its defaults from the same environment
/// variables as Python's huggingface_hub (<c>HF_ENDPOINT</c>, <c>HF_HOME</c>, <c>HF_HUB_CACHE</c>,
/// <c>HF_TOKEN</c> and the token file, <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_DISABLE_SYMLINKS</c>,
/// <c>HF_HUB_ETAG_TIMEOUT</c>, <c>HF_HUB_DOWNLOAD_TIMEOUT</c>), so files downloaded from .NET and from
/// Python land in one shared cache. Setters validate their value.
/// </summary>
public sealed class HubOptions
{
    private Uri _endpoint;
    private string? _token;
    private string _cacheDirectory;
    private TimeSpan _metadataTimeout;
    private TimeSpan _downloadTimeout;
    private int _maxDownloadRetries = 5;
    private TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private int _maxConcurrentDownloads = 8;

    /// <summary>Creates options with their defaults read from the process environment.</summary>
    /// <exception cref="ArgumentException">An environment variable holds an unusable value (for example <c>HF_ENDPOINT</c> is not an http(s) URL).</exception>
    /// <exception cref="InvalidOperationException">A timeout variable is not a whole number of seconds.</exception>
    public HubOptions()
        : this(HubEnvironment.Process)
    {
    }

    /// <summary>Creates options with their defaults read through <paramref name="environment"/> (tests pass a dictionary lookup).</summary>
    internal HubOptions(Func<string, string?> environment)
    {
        _endpoint = ParseEndpoint(HubEnvironment.Endpoint(environment), "HF_ENDPOINT");
        _token = HubEnvironment.Token(environment);
        _cacheDirectory = Path.GetFullPath(HubEnvironment.HubCache(environment));
        Offline = HubEnvironment.Offline(environment);
        UseSymlinks = !HubEnvironment.SymlinksDisabled(environment);
        _metadataTimeout = HubEnvironment.MetadataTimeout(environment);
        _downloadTimeout = HubEnvironment.DownloadTimeout(environment);
    }

    private HubOptions(HubOptions other)
    {
        _endpoint = other._endpoint;
        _token = other._token;
        _cacheDirectory = other._cacheDirectory;
        Offline = other.Offline;
        UseSymlinks = other.UseSymlinks;
        _metadataTimeout = other._metadataTimeout;
        _downloadTimeout = other._downloadTimeout;
        _maxDownloadRetries = other._maxDownloadRetries;
        _retryDelay = other._retryDelay;
        _maxConcurrentDownloads = other._maxConcurrentDownloads;
        HttpMessageHandler = other.HttpMessageHandler;
    }

    /// <summary>The hub's base address (default <c>HF_ENDPOINT</c>, else https://huggingface.co). May include a path for mirrors.</summary>
    /// <exception cref="ArgumentException">Not an absolute http or https URL, or it has a query or fragment.</exception>
    public Uri Endpoint
    {
        get => _endpoint;
        set => _endpoint = ParseEndpoint(value?.OriginalString ?? throw new ArgumentNullException(nameof(value)), nameof(Endpoint));
    }

    /// <summary>
    /// The access token sent as <c>Authorization: Bearer</c> to the hub (never to a CDN it redirects to), or null.
    /// Defaults to <c>HF_TOKEN</c>, else the token file <c>$HF_HOME/token</c> written by <c>hf auth login</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, or contains whitespace or control characters.</exception>
    public string? Token
    {
        get => _token;
        set
        {
            if (value is not null && (value.Length == 0 || value.AsSpan().IndexOfAny(" \t\r\n") >= 0 || value.Any(char.IsControl)))
                throw new ArgumentException("A token must be non-empty and must not contain whitespace or control characters.", nameof(value));
            _token = value;
        }
    }

    /// <summary>The cache folder holding <c>models--*</c> folders (default <c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>). Stored as an absolute path.</summary>
    /// <exception cref="ArgumentException">Empty.</exception>
    public string CacheDirectory
    {
        get => _cacheDirectory;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _cacheDirectory = Path.GetFullPath(value);
        }
    }

    /// <summary>When true no request is made: files come from the cache or the call fails with <see cref="HubOfflineException"/> (default <c>HF_HUB_OFFLINE</c>).</summary>
    public bool Offline { get; set; }

    /// <summary>
    /// When true (the default unless <c>HF_HUB_DISABLE_SYMLINKS</c> is set) snapshot entries are relative
    /// symbolic links to the blobs, as huggingface_hub makes them; where the file system refuses links
    /// (Windows without Developer Mode) the file is stored in the snapshot instead, which is also what
    /// happens when this is false.
    /// </summary>
    public bool UseSymlinks { get; set; }

    /// <summary>How long to wait for a metadata answer (a HEAD or an API call) before treating the hub as unreachable (default <c>HF_HUB_ETAG_TIMEOUT</c>, 10 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan MetadataTimeout
    {
        get => _metadataTimeout;
        set => _metadataTimeout = Positive(value, nameof(MetadataTimeout));
    }

    /// <summary>How long a download may go without receiving a byte before the connection counts as dropped and is resumed (default <c>HF_HUB_DOWNLOAD_TIMEOUT</c>, 10 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan DownloadTimeout
    {
        get => _downloadTimeout;
        set => _downloadTimeout = Positive(value, nameof(DownloadTimeout));
    }

    /// <summary>How many times in a row a dropped download is resumed without receiving new data before giving up (default 5, as huggingface_hub).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int MaxDownloadRetries
    {
        get => _maxDownloadRetries;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxDownloadRetries = value;
        }
    }

    /// <summary>The pause before resuming a dropped download (default 1 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _retryDelay = value;
        }
    }

    /// <summary>How many files <see cref="HubClient.DownloadModelAsync"/> fetches at once (default 8, as huggingface_hub's snapshot_download).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxConcurrentDownloads
    {
        get => _maxConcurrentDownloads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxConcurrentDownloads = value;
        }
    }

    /// <summary>
    /// The HTTP handler to send requests through (proxies, tests), or null for a new <see cref="SocketsHttpHandler"/>.
    /// It must not follow redirects itself: the client reads the hub's redirect headers and follows redirects
    /// on its own, dropping the token when a redirect leaves the hub's host. The client does not dispose it.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>Returns an independent copy (the handler instance is shared).</summary>
    public HubOptions Clone() => new(this);

    private static Uri ParseEndpoint(string text, string source)
    {
        var trimmed = text.TrimEnd('/');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            // A URL with user info carries a credential: do not repeat it in the message.
            var shown = text.Contains('@', StringComparison.Ordinal) ? "" : $" ('{text}')";
            throw new ArgumentException($"The hub endpoint from {source}{shown} must be an absolute http or https URL without query, fragment or user info.", source);
        }
        return uri;
    }

    private static TimeSpan Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(name, value, "The timeout must be positive (or Timeout.InfiniteTimeSpan).");
        return value;
    }
}
