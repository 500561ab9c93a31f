using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Embeddings.Hub;

/// <summary>The hub's answer about one file, read from the headers of a HEAD on its resolve URL.</summary>
/// <param name="CommitHash">The commit the revision resolved to (<c>X-Repo-Commit</c>).</param>
/// <param name="Etag">The blob's name: the LFS SHA-256 (<c>X-Linked-Etag</c>) or the git SHA-1 (<c>ETag</c>), normalized.</param>
/// <param name="Size">The file's size (<c>X-Linked-Size</c>, else <c>Content-Length</c>).</param>
/// <param name="DownloadUri">Where to GET the content: the resolve URL, or the CDN address the hub redirected to.</param>
internal sealed record HubFileMetadata(string CommitHash, string Etag, long Size, Uri DownloadUri);

/// <summary>
/// Talks HTTP to the hub: builds its URLs, sends the token only to the hub's own origin, follows redirects
/// itself (the handler must not), and maps failures to typed exceptions. Metadata calls are bounded by
/// <see cref="HubOptions.MetadataTimeout"/>; a timeout surfaces as <see cref="TimeoutException"/>.
/// </summary>
/// <remarks>Thread-safe: one instance serves every download of a <see cref="HubClient"/>.</remarks>
internal sealed class HubTransport : IDisposable
{
    private const int MaxRedirects = 10;
    private const int MaxApiResponseBytes = 64 << 20;

    private readonly HttpClient _http;
    private readonly HubOptions _options;

    public HubTransport(HubOptions options)
    {
        _options = options;
        var handler = options.HttpMessageHandler;
        if (handler is SocketsHttpHandler { AllowAutoRedirect: true } or HttpClientHandler { AllowAutoRedirect: true })
            throw new ArgumentException(
                "HubOptions.HttpMessageHandler must not follow redirects (set AllowAutoRedirect = false): the client reads the hub's redirect headers itself.",
                nameof(options));
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Sizes and hashes are checked on the bytes as stored, so ask for them uncompressed.
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler, disposeHandler: options.HttpMessageHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("embeddings-dotnet", typeof(HubTransport).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>The hub's base address.</summary>
    public Uri Endpoint => _options.Endpoint;

    /// <summary><c>{endpoint}/{repo}/resolve/{revision}/{file}</c>, revision and file segments percent-encoded.</summary>
    public Uri ResolveUri(string repoId, string revision, string fileName) =>
        new($"{Base}/{repoId}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', fileName.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary><c>{endpoint}/api/models/{repo}/revision/{revision}</c>.</summary>
    public Uri ApiUri(string repoId, string revision) =>
        new($"{Base}/api/models/{repoId}/revision/{Uri.EscapeDataString(revision)}");

    private string Base => _options.Endpoint.AbsoluteUri.TrimEnd('/');

    /// <summary>True when a request to <paramref name="uri"/> carries the token: only the hub's own scheme, host and port get it.</summary>
    public bool SendsTokenTo(Uri uri) =>
        _options.Token is not null &&
        Uri.Compare(uri, _options.Endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>A context for error messages about a request.</summary>
    public HubErrors.Context Context(string repoId, string revision, string? fileName) =>
        new(repoId, revision, fileName, _options.Endpoint, _options.Token is not null);

    /// <summary>
    /// HEADs the file's resolve URL, following only relative redirects (a renamed repository) and stopping
    /// at an absolute one (the CDN holding an LFS file), like huggingface_hub's <c>get_hf_file_metadata</c>.
    /// </summary>
    /// <exception cref="HubException">The hub answered with an error or without the headers a hub sends.</exception>
    /// <exception cref="HttpRequestException">The hub could not be reached.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="HubOptions.MetadataTimeout"/>.</exception>
    public async Task<HubFileMetadata> GetFileMetadataAsync(string repoId, string revision, string fileName, CancellationToken cancellationToken)
    {
        var context = Context(repoId, revision, fileName);
        var uri = ResolveUri(repoId, revision, fileName);
        using var timeout = MetadataDeadline(cancellationToken);
        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                using var response = await SendAsync(HttpMethod.Head, uri, rangeStart: 0, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                var location = status is >= 300 and < 400 ? response.Headers.Location : null;
                if (location is { IsAbsoluteUri: false })
                {
                    uri = new Uri(uri, location);
                    continue;
                }
                if (status is < 200 or >= 400) throw HubErrors.FromResponse(response, context);
                if (status >= 300 && location is null)
                    throw new HubResponseException($"The hub answered HTTP {status} without a Location header for {context.Subject}.", repoId, status);
                return ReadMetadata(response, location ?? uri, context);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The hub at {Endpoint} did not answer within {_options.MetadataTimeout.TotalSeconds:0.#} s (HubOptions.MetadataTimeout, HF_HUB_ETAG_TIMEOUT).");
        }
        throw new HubResponseException($"More than {MaxRedirects} redirects for {context.Subject}.", repoId);
    }

    private static HubFileMetadata ReadMetadata(HttpResponseMessage response, Uri downloadUri, HubErrors.Context context)
    {
        var commit = Header(response, "X-Repo-Commit");
        if (commit is null)
            throw new HubResponseException(
                $"The answer for {context.Subject} has no X-Repo-Commit header, so it does not come from a Hugging Face hub. Check HF_ENDPOINT and any proxy or firewall between this machine and the hub.",
                context.RepoId);
        if (!HubNames.IsValidServerCommit(commit))
            throw new HubResponseException($"The hub sent an invalid commit hash for {context.Subject}.", context.RepoId);

        // The linked ETag and size describe the LFS file itself; the plain ones would describe its pointer.
        var etag = HubNames.NormalizeEtag(Header(response, "X-Linked-Etag") ?? Header(response, "ETag"));
        if (etag is null)
            throw new HubResponseException($"The hub sent no ETag for {context.Subject}, so the file cannot be cached reproducibly.", context.RepoId);
        if (!HubNames.IsValidEtag(etag))
            throw new HubResponseException($"The hub sent an ETag for {context.Subject} that cannot name a cache file.", context.RepoId);

        var isRedirect = (int)response.StatusCode is >= 300 and < 400;
        var sizeText = Header(response, "X-Linked-Size");
        long size;
        if (sizeText is not null)
        {
            if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size))
                throw new HubResponseException($"The hub sent an invalid X-Linked-Size for {context.Subject}.", context.RepoId);
        }
        else if (!isRedirect && response.Content.Headers.ContentLength is { } length)
        {
            size = length;
        }
        else
        {
            throw new HubResponseException($"The hub sent no size (X-Linked-Size or Content-Length) for {context.Subject}.", context.RepoId);
        }
        return new HubFileMetadata(commit, etag, size, downloadUri);
    }

    /// <summary>Calls the model API for the commit and the file list of a revision.</summary>
    /// <exception cref="HubException">The hub answered with an error or with JSON that is not a model description.</exception>
    /// <exception cref="HttpRequestException">The hub could not be reached.</exception>
    /// <exception cref="TimeoutException">No complete answer within <see cref="HubOptions.MetadataTimeout"/>.</exception>
    public async Task<HubRepositoryInfo> GetRepositoryInfoAsync(string repoId, string revision, CancellationToken cancellationToken)
    {
        var context = Context(repoId, revision, fileName: null);
        using var timeout = MetadataDeadline(cancellationToken);
        try
        {
            using var response = await GetFollowingRedirectsAsync(ApiUri(repoId, revision), rangeStart: 0, context, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw HubErrors.FromResponse(response, context);
            if (response.Content.Headers.ContentLength > MaxApiResponseBytes)
                throw TooLarge(context);
            var body = new MemoryStream();
            await using (var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > MaxApiResponseBytes) throw TooLarge(context);
                    body.Write(buffer, 0, read);
                }
            }
            return RepositoryInfoParser.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), repoId, revision);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The hub's model API at {Endpoint} did not answer within {_options.MetadataTimeout.TotalSeconds:0.#} s (HubOptions.MetadataTimeout, HF_HUB_ETAG_TIMEOUT).");
        }
    }

    private static HubResponseException TooLarge(HubErrors.Context context) =>
        new($"The hub's model API answer for {context.Subject} is larger than {MaxApiResponseBytes >> 20} MiB; refusing to read it.", context.RepoId);

    /// <summary>
    /// GETs <paramref name="uri"/>, following every redirect (CDN included) up to a limit and never from https
    /// to http. The token goes only to hops on the hub's origin. The caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> GetFollowingRedirectsAsync(Uri uri, long rangeStart, HubErrors.Context context, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var response = await SendAsync(HttpMethod.Get, uri, rangeStart, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400) return response;
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
                throw new HubResponseException($"HTTP {status} without a Location header while downloading {context.Subject}.", context.RepoId, status);
            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                throw new HubResponseException($"Refusing a redirect from https to {next.Scheme} while downloading {context.Subject}.", context.RepoId, status);
            uri = next;
        }
        throw new HubResponseException($"More than {MaxRedirects} redirects while downloading {context.Subject}.", context.RepoId);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, long rangeStart, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri);
        if (SendsTokenTo(uri)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        // The size in the metadata and the hash of LFS files are about the stored bytes, not a compressed stream.
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (rangeStart > 0) request.Headers.Range = new RangeHeaderValue(rangeStart, null);
        return SendAndDisposeRequestAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private CancellationTokenSource MetadataDeadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_options.MetadataTimeout);
        return source;
    }

    /// <summary>The first value of a response or content header, or null.</summary>
    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
