using System.Text.Json;
using Embeddings.Remote.Http;

namespace Embeddings.Remote;

/// <summary>
/// An <see cref="IEmbedder"/> over a TEI-compatible HTTP server (Hugging Face text-embeddings-inference, or the
/// Embeddings server, alone or behind a balancer): the same calls and result types as a model in-process, so code
/// moves between the two by changing how the embedder is created. <see cref="EmbedderExtensions.AsEmbeddingGenerator"/>
/// gives the Microsoft.Extensions.AI view of it.
/// </summary>
/// <remarks>
/// <para>A call's texts are sent in requests of at most the server's <c>max_client_batch_size</c> inputs (read from
/// /info when connecting), at most <see cref="RemoteEmbedderOptions.MaxConcurrency"/> requests at once per embedder;
/// 429, 503 and failed connections are retried with backoff; results come back in the caller's order. The server
/// does the micro-batching, so <see cref="BatchingOptions.MaxBatchTokens"/> is the server's business and ignored here.</para>
/// <para>Routes: <see cref="Embed"/> calls /embed, <see cref="EmbedTokens"/> calls /tokenize and /embed_all,
/// <see cref="EmbedSparse"/> calls /embed_sparse. <see cref="LateChunk"/> needs the model's tokenizer and chunkers and
/// throws <see cref="NotSupportedException"/>.</para>
/// <para>What a server does not report stays unknown rather than guessed: TEI gives no per-text token counts, so
/// <see cref="EmbeddingResult.TokenCounts"/> are 0 and no text is listed as truncated (the Embeddings server reports
/// both). Token vectors carry the vocabulary strings when the server gives them (the Embeddings server does), else the text
/// each token covers (TEI's /tokenize); sparse vectors'
/// <see cref="SparseEmbedding.Tokens"/> are <c>[index]</c>, the vocabulary being on the server.</para>
/// <para>Thread safety: every member may be called from many threads at once.</para>
/// </remarks>
public sealed class RemoteEmbedder : IEmbedder
{
    /// <summary>The response header in which the Embeddings server reports each input's token count (comma-separated).</summary>
    public const string TokenCountsHeader = "x-token-counts";

    /// <summary>The response header in which the Embeddings server lists the inputs it truncated (comma-separated indexes).</summary>
    public const string TruncatedInputsHeader = "x-truncated-inputs";

    private readonly TeiClient _client;
    private readonly ServerInfo _server;
    private readonly RemoteEmbedderOptions _options;
    private volatile bool _disposed;

    private RemoteEmbedder(TeiClient client, ServerInfo server, RemoteEmbedderOptions options)
    {
        _client = client;
        _server = server;
        _options = options;
    }

    /// <summary>Connects to a server: reads its /info (with the usual retries) and returns an embedder for its model.</summary>
    /// <param name="endpoint">The server's base address, e.g. <c>http://127.0.0.1:8080</c>.</param>
    /// <param name="options">Client settings; null for the defaults. The embedder keeps a copy.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http or https address.</exception>
    /// <exception cref="RemoteEmbedderException">The server could not be reached, refused, or is not a TEI-compatible embedding server.</exception>
    /// <exception cref="TimeoutException">/info did not answer within <see cref="RemoteEmbedderOptions.RequestTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<RemoteEmbedder> ConnectAsync(Uri endpoint, RemoteEmbedderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
            throw new ArgumentException($"\"{endpoint}\" is not an absolute http:// or https:// address.", nameof(endpoint));
        var copy = options?.Clone() ?? new RemoteEmbedderOptions();
        var client = new TeiClient(endpoint, copy);
        try
        {
            ServerInfo server;
            using (var answer = await client.GetAsync("info", cancellationToken).ConfigureAwait(false))
                server = ServerInfo.Read(answer.Root, new Uri(client.Endpoint, "info"));
            if (server.SupportsDense && server.Embedder.Dimensions == 0)
            {
                // TEI's /info does not give the vectors' width; one short text tells it.
                using var probe = await client.PostAsync("embed", RequestBody.Inputs(["dimensions"], 0, 1), cancellationToken).ConfigureAwait(false);
                int width = probe.Root.ValueKind == JsonValueKind.Array && probe.Root.GetArrayLength() == 1 && probe.Root[0].ValueKind == JsonValueKind.Array
                    ? probe.Root[0].GetArrayLength()
                    : throw new RemoteEmbedderException($"{client.Endpoint}embed did not answer one vector for one text.", new Uri(client.Endpoint, "embed"), 200, null);
                server = server with { Embedder = server.Embedder with { Dimensions = width } };
            }
            return new RemoteEmbedder(client, server, copy);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects without blocking on a synchronization context (see <see cref="ConnectAsync"/>).</summary>
    /// <inheritdoc cref="ConnectAsync" path="/param"/>
    /// <inheritdoc cref="ConnectAsync" path="/exception"/>
    public static RemoteEmbedder Connect(Uri endpoint, RemoteEmbedderOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => ConnectAsync(endpoint, options, cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>What the server's model is, from its /info.</summary>
    public EmbedderInfo Info => _server.Embedder;

    /// <summary>The server's base address.</summary>
    public Uri Endpoint => _client.Endpoint;

    /// <summary>The most inputs the server accepts in one request (its <c>max_client_batch_size</c>).</summary>
    public int MaxClientBatchSize => _server.MaxClientBatchSize;

    /// <inheritdoc/>
    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
        Blocking(() => EmbedAsync(texts, options, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Besides the documented exceptions: <see cref="RemoteEmbedderException"/> when the server refuses or
    /// fails a request or cannot be reached after the retries, <see cref="TimeoutException"/> when one does not answer
    /// in time, <see cref="EmbeddingQueueFullException"/> when it stays overloaded (429) after the retries.</remarks>
    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckTexts(texts);
        var settings = options ?? new EmbedOptions();
        if (!_server.SupportsDense) throw new NotSupportedException($"The model at {Endpoint} ({Info.ModelId}) gives no dense vectors.");
        if (settings.Pooling is { } pooling && !(Info.Pooling.Count == 1 && Info.Pooling[0] == pooling))
            throw new NotSupportedException($"A server pools as its model says ({string.Join('+', Info.Pooling)}); another pooling ({pooling}) cannot be asked for remotely.");
        if (settings.Dimensions > Info.Dimensions)
            throw new ArgumentOutOfRangeException(nameof(options), settings.Dimensions, $"Dimensions is larger than the model's {Info.Dimensions}.");
        string? promptName = PromptNameFor(settings);
        bool normalize = settings.Normalize ?? Info.Normalize;
        int dimensions = settings.Dimensions ?? Info.Dimensions;

        var parts = await RunInRequestsAsync(texts, settings, async (start, count, token) =>
        {
            byte[] body = RequestBody.Inputs(texts, start, count, json =>
            {
                json.WriteBoolean("truncate", settings.Truncation == OverlongInputPolicy.Truncate);
                json.WriteBoolean("normalize", normalize);
                if (settings.Dimensions is { } asked) json.WriteNumber("dimensions", asked);
                if (promptName is not null) json.WriteString("prompt_name", promptName);
            });
            using var answer = await _client.PostAsync("embed", body, token).ConfigureAwait(false);
            return ReadDense(answer, start, count, dimensions);
        }, cancellationToken).ConfigureAwait(false);

        var data = new float[texts.Count * dimensions];
        var tokenCounts = new int[texts.Count];
        var truncated = new List<int>();
        foreach (var part in parts)
        {
            part.Vectors.CopyTo(data.AsSpan(part.Start * dimensions));
            part.TokenCounts.CopyTo(tokenCounts.AsSpan(part.Start));
            truncated.AddRange(part.Truncated.Select(i => i + part.Start));
        }
        return new EmbeddingResult(data, dimensions, tokenCounts, truncated.ToArray());
    }

    /// <inheritdoc/>
    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Blocking(() => EmbedTokensAsync(texts, options, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Two requests per batch: /tokenize for the tokens and their offsets, /embed_all for the vectors. The
    /// server applies its model's default prompt to both, as TEI does; offsets are into the caller's text.</remarks>
    public async Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckTexts(texts);
        var settings = options ?? new TokenEmbeddingOptions();
        if (!Info.SupportsTokenEmbeddings) throw new NotSupportedException($"The model at {Endpoint} ({Info.ModelId}) gives no per-token vectors.");
        string prompt = Info.DefaultPromptName is { } name && Info.Prompts.TryGetValue(name, out var text) ? text : "";

        var parts = await RunInRequestsAsync(texts, settings, async (start, count, token) =>
        {
            var tokenize = _client.PostAsync("tokenize", RequestBody.Inputs(texts, start, count, json => json.WriteBoolean("add_special_tokens", true)), token);
            var embedAll = _client.PostAsync("embed_all", RequestBody.Inputs(texts, start, count,
                json => json.WriteBoolean("truncate", settings.Truncation == OverlongInputPolicy.Truncate)), token);
            using var tokens = await tokenize.ConfigureAwait(false);
            using var vectors = await embedAll.ConfigureAwait(false);
            var result = new TokenEmbeddings[count];
            for (int i = 0; i < count; i++)
                result[i] = TokenVectors.Read(tokens.Root, vectors.Root, i, prompt, texts[start + i], settings, new Uri(Endpoint, "embed_all"));
            return result;
        }, cancellationToken).ConfigureAwait(false);
        return parts.SelectMany(part => part).ToArray();
    }

    /// <inheritdoc/>
    public IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Blocking(() => EmbedSparseAsync(texts, options, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckTexts(texts);
        var settings = options ?? new SparseEmbeddingOptions();
        if (!Info.SupportsSparse) throw new NotSupportedException($"The model at {Endpoint} ({Info.ModelId}) gives no sparse vectors.");
        var parts = await RunInRequestsAsync(texts, settings, async (start, count, token) =>
        {
            byte[] body = RequestBody.Inputs(texts, start, count, json => json.WriteBoolean("truncate", settings.Truncation == OverlongInputPolicy.Truncate));
            using var answer = await _client.PostAsync("embed_sparse", body, token).ConfigureAwait(false);
            return SparseVectors.Read(answer.Root, count, Info.VocabularySize, settings, new Uri(Endpoint, "embed_sparse"));
        }, cancellationToken).ConfigureAwait(false);
        return parts.SelectMany(part => part).ToArray();
    }

    /// <summary>Not available remotely: late chunking needs the model's tokenizer and chunkers in process.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        throw LateChunkNotSupported();

    /// <summary>Not available remotely: late chunking needs the model's tokenizer and chunkers in process.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromException<IReadOnlyList<IReadOnlyList<DocumentChunk>>>(LateChunkNotSupported());

    /// <summary>Releases the HTTP client (unless it was the caller's). Calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _client.Dispose();
    }

    private NotSupportedException LateChunkNotSupported() => new(
        $"Late chunking is not available over HTTP ({Endpoint}): TEI's API has no route for it and it needs the model's tokenizer in process. " +
        "Load the model in process (OnnxEmbedder.Create) to late-chunk.");

    private string? PromptNameFor(EmbedOptions settings)
    {
        if (settings.Prompt is not null)
            throw new NotSupportedException("A prompt text (EmbedOptions.Prompt) cannot be sent to a TEI-compatible server; name one of the model's prompts with PromptName.");
        if (settings.PromptName is { } name && !Info.Prompts.ContainsKey(name))
        {
            string known = Info.Prompts.Count == 0 ? "the model defines no prompts" : "known prompts: " + string.Join(", ", Info.Prompts.Keys);
            throw new ArgumentException($"Unknown prompt name \"{name}\"; {known}.", nameof(settings));
        }
        return settings.PromptName;
    }

    private void CheckTexts(IReadOnlyList<string> texts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(texts);
        for (int i = 0; i < texts.Count; i++)
            if (texts[i] is null) throw new ArgumentNullException(nameof(texts), $"Text {i} is null.");
    }

    // Splits the texts into requests of at most the server's batch size, runs them (the client bounds how many run at
    // once), reports progress as requests complete, and returns the parts in input order. The first failure cancels the
    // requests still running and is what the caller sees.
    private async Task<T[]> RunInRequestsAsync<T>(IReadOnlyList<string> texts, BatchingOptions settings,
        Func<int, int, CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        int size = Math.Min(_server.MaxClientBatchSize, Math.Min(settings.MaxBatchSize ?? int.MaxValue, _options.MaxBatchSize ?? int.MaxValue));
        int requests = (texts.Count + size - 1) / size;
        var parts = new T[requests];
        if (requests == 0)
        {
            settings.Progress?.Report(new EmbeddingProgress(0, 0));
            return parts;
        }
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progressLock = new object();
        int completed = 0;
        var tasks = new Task[requests];
        for (int r = 0; r < requests; r++)
        {
            int index = r, start = r * size, count = Math.Min(size, texts.Count - r * size);
            tasks[r] = Task.Run(async () =>
            {
                try
                {
                    parts[index] = await send(start, count, failed.Token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failed.Cancel();
                    var shifted = ErrorTranslation.Offset(e, start);
                    if (!ReferenceEquals(shifted, e)) throw shifted;
                    throw;
                }
                lock (progressLock)
                {
                    completed += count;
                    settings.Progress?.Report(new EmbeddingProgress(completed, texts.Count));
                }
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            // The cause, not the cancellations it set off in the other requests.
            var cause = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException)
                ?? tasks.First(t => t.IsFaulted || t.IsCanceled).Exception?.InnerException;
            if (cause is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        return parts;
    }

    private sealed record DenseBatch(int Start, float[] Vectors, int[] TokenCounts, int[] Truncated);

    private DenseBatch ReadDense(TeiClient.Answer answer, int start, int count, int dimensions)
    {
        var uri = new Uri(Endpoint, "embed");
        var root = answer.Root;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != count)
            throw new RemoteEmbedderException($"{uri} answered {Describe(root)} for {count} inputs; expected {count} vectors.", uri, 200, null);
        var vectors = new float[count * dimensions];
        int i = 0;
        foreach (var row in root.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != dimensions)
                throw new RemoteEmbedderException($"{uri} answered a vector of {Describe(row)} for input {i}; expected {dimensions} numbers.", uri, 200, null);
            int d = i * dimensions;
            foreach (var value in row.EnumerateArray()) vectors[d++] = value.GetSingle();
            i++;
        }
        int[] tokenCounts = Numbers(answer, TokenCountsHeader) is { Length: var n } counts && n == count ? counts : new int[count];
        int[] truncated = Numbers(answer, TruncatedInputsHeader)?.Where(t => t >= 0 && t < count).ToArray() ?? [];
        return new DenseBatch(start, vectors, tokenCounts, truncated);
    }

    private static int[]? Numbers(TeiClient.Answer answer, string header)
    {
        if (!answer.Headers.TryGetValues(header, out var values)) return null;
        string joined = string.Join(',', values);
        if (joined.Length == 0) return [];
        var numbers = new List<int>();
        foreach (string item in joined.Split(','))
            if (int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number)) numbers.Add(number);
            else return null;
        return numbers.ToArray();
    }

    private static string Describe(JsonElement element) => element.ValueKind == JsonValueKind.Array ? $"{element.GetArrayLength()} items" : element.ValueKind.ToString();

    // Sync over async on the thread pool: no caller's synchronization context to deadlock on.
    private static T Blocking<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        Task.Run(call, cancellationToken).GetAwaiter().GetResult();
}
