using System.Globalization;
using Embeddings.Onnx;

namespace Embeddings.Server;

/// <summary>
/// The server's settings, read from ASP.NET configuration: the command line (<c>--model DIR|org/name</c>,
/// <c>--max-client-batch-size 32</c>, …), environment variables or appsettings.json, under the keys below.
/// </summary>
internal sealed record ServerSettings
{
    /// <summary>Where the server listens unless <c>--urls</c> (or ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS) says otherwise: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>A model folder or Hugging Face id (<c>model</c>); default <see cref="OnnxEmbedder.DefaultModelId"/>.</summary>
    public string Model { get; init; } = OnnxEmbedder.DefaultModelId;

    /// <summary>The revision of a Hugging Face id (<c>revision</c>).</summary>
    public string Revision { get; init; } = "main";

    /// <summary>Most inputs one request may carry (<c>max-client-batch-size</c>, TEI's default 32); more is answered 413.</summary>
    public int MaxClientBatchSize { get; init; } = 32;

    /// <summary>Truncate inputs longer than the model allows when a request does not say (<c>auto-truncate</c>, default true as in TEI).</summary>
    public bool AutoTruncate { get; init; } = true;

    /// <summary>The model name reported by /info and /v1/embeddings (<c>served-model-name</c>); null uses the model id.</summary>
    public string? ServedModelName { get; init; }

    /// <summary>Padded tokens per model run (<c>max-batch-tokens</c>); null for the library default.</summary>
    public int? MaxBatchTokens { get; init; }

    /// <summary>Tokens waiting or running in the micro-batching queue before requests are refused with 429 (<c>max-queued-tokens</c>).</summary>
    public int? MaxQueuedTokens { get; init; }

    /// <summary>ONNX Runtime intra-op threads (<c>threads</c>); null lets it choose.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The key clients must send as <c>Authorization: Bearer KEY</c> (<c>api-key</c>, as TEI's <c>--api-key</c>); null
    /// serves everyone. /health, /metrics, the OpenAPI document and the docs page stay open.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>Reads the settings.</summary>
    /// <exception cref="ServerConfigurationException">A value is malformed (the message names the key).</exception>
    public static ServerSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new ServerSettings();
        return new ServerSettings
        {
            Model = NonEmpty(configuration, "model") ?? defaults.Model,
            Revision = NonEmpty(configuration, "revision") ?? defaults.Revision,
            MaxClientBatchSize = PositiveInt(configuration, "max-client-batch-size") ?? defaults.MaxClientBatchSize,
            AutoTruncate = Bool(configuration, "auto-truncate") ?? defaults.AutoTruncate,
            ServedModelName = NonEmpty(configuration, "served-model-name"),
            MaxBatchTokens = PositiveInt(configuration, "max-batch-tokens"),
            MaxQueuedTokens = PositiveInt(configuration, "max-queued-tokens"),
            Threads = PositiveInt(configuration, "threads"),
            ApiKey = NonEmpty(configuration, "api-key"),
        };
    }

    /// <summary>Applies the model-related settings to the embedder registration; the micro-batching queue is always on.</summary>
    public void Apply(EmbedderServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Model = Model;
        options.Onnx.Revision = Revision;
        // Concurrent requests meet in the queue and share model runs, as in TEI.
        var queue = new EmbeddingQueueOptions();
        if (MaxQueuedTokens is { } queued) queue.MaxQueuedTokens = queued;
        options.Onnx.Embedder.Queue = queue;
        if (MaxBatchTokens is { } tokens) options.Onnx.Embedder.MaxBatchTokens = tokens;
        if (Threads is { } threads) options.Onnx.Runtime.IntraOpThreads = threads;
        // A server waits for work most of the time; spinning threads would burn CPU between requests.
        options.Onnx.Runtime.AllowSpinning = false;
    }

    private static string? NonEmpty(IConfiguration configuration, string key)
    {
        string? value = configuration[key];
        if (value is null) return null;
        return string.IsNullOrWhiteSpace(value) ? throw new ServerConfigurationException($"--{key} is empty.") : value;
    }

    private static int? PositiveInt(IConfiguration configuration, string key)
    {
        string? value = NonEmpty(configuration, key);
        if (value is null) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1
            ? number
            : throw new ServerConfigurationException($"--{key} must be a whole number of at least 1; got \"{value}\".");
    }

    private static bool? Bool(IConfiguration configuration, string key)
    {
        string? value = NonEmpty(configuration, key);
        if (value is null) return null;
        return bool.TryParse(value, out bool flag) ? flag : throw new ServerConfigurationException($"--{key} must be true or false; got \"{value}\".");
    }
}
