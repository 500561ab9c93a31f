using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Remote;
using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>
/// Creates the embedder named by <c>--model</c> (a folder, or a Hugging Face id fetched into the standard cache;
/// the default model when omitted) with the runtime options the command line gives, or connects to the server at
/// <c>--endpoint URL</c> instead.
/// </summary>
internal static class ModelLoader
{
    /// <summary>Reads the model options and loads the model.</summary>
    public static Embedder Load(CommandLine args) => Parse(args).Load();

    /// <summary>
    /// Reads the model options without loading anything, so a command can reject unknown options (a typo) before
    /// spending seconds on a load or a download.
    /// </summary>
    public static ModelRequest Parse(CommandLine args)
    {
        string? endpoint = args.Value("--endpoint");
        string? apiKey = args.Value("--api-key");
        string? model = args.Value("--model");
        if (endpoint is not null && model is not null) throw new CliException("give --model or --endpoint, not both", 2);
        var options = new OnnxEmbedderOptions();
        if (args.Value("--revision") is { } revision) options.Revision = revision;
        if (args.PositiveInt("--threads") is { } threads) options.Runtime.IntraOpThreads = threads;
        if (args.PositiveInt("--max-batch-tokens") is { } budget) options.Embedder.MaxBatchTokens = budget;
        int? maxBatchSize = args.PositiveInt("--max-batch-size");
        if (maxBatchSize is int size) options.Embedder.MaxBatchSize = size;
        return new ModelRequest(model ?? OnnxEmbedder.DefaultModelId, options, endpoint, apiKey, maxBatchSize);
    }
}

/// <summary>A model the command line asked for, not loaded yet: a local model, or a server's when <see cref="Endpoint"/> is set.</summary>
internal sealed record ModelRequest(string Model, OnnxEmbedderOptions Options, string? Endpoint = null, string? ApiKey = null, int? MaxBatchSize = null)
{
    /// <summary>
    /// The embedder a model command runs on: the server at <see cref="Endpoint"/> (TEI or the Embeddings server; the
    /// key from <c>--api-key</c> or EMBEDDINGS_API_KEY), else the local model of <see cref="Load"/>.
    /// </summary>
    public IEmbedder Open()
    {
        if (Endpoint is null) return Load();
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException($"--endpoint needs an http:// or https:// address, got '{Endpoint}'", 2);
        var options = new RemoteEmbedderOptions { ApiKey = ApiKey ?? Environment.GetEnvironmentVariable("EMBEDDINGS_API_KEY") };
        if (MaxBatchSize is int size) options.MaxBatchSize = size;
        try
        {
            return RemoteEmbedder.Connect(uri, options);
        }
        catch (Exception e) when (e is RemoteEmbedderException or TimeoutException)
        {
            throw new CliException($"cannot use the server at {Endpoint}: {ErrorText.OneLine(e)}");
        }
    }

    /// <summary>Loads the local model (a folder or a Hugging Face id).</summary>
    public Embedder Load() => LoadLocal("model", () => OnnxEmbedder.CreateAsync(Model, Options));

    /// <summary>Loads the local cross-encoder (a folder or a Hugging Face id).</summary>
    public Reranker LoadReranker() => LoadLocal("reranker", () => OnnxReranker.CreateAsync(Model, Options));

    private T LoadLocal<T>(string what, Func<Task<T>> load)
    {
        if (Endpoint is not null) throw new CliException("this command needs a local model (--model); it cannot run against --endpoint", 2);
        if (!Directory.Exists(Model) && !HubModelDownloader.IsHubId(Model))
            throw new CliException($"model folder not found, and \"{Model}\" is not a Hugging Face model id either");
        try
        {
            return load().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ModelConfigurationException or TokenizerFormatException or NotSupportedException or HubException
                                      or OnnxRuntimeException or OnnxRuntimeNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot load the {what}: {ErrorText.OneLine(e)}");
        }
    }
}
