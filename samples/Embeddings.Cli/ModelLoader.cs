using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Remote;
using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>
/// Creates the embedder named by <c>--model</c> (a folder, or a Hugging Face id fetched into the standard cache;
/// the default model when omitted) with the runtime options the command line gives.
/// </summary>
internal static class ModelLoader
{
    /// <summary>
    /// The embedder a model command runs on: the server at <c>--endpoint URL</c> (TEI or the Embeddings server; the
    /// key from <c>--api-key</c> or EMBEDDINGS_API_KEY), else the model of <see cref="Load"/>.
    /// </summary>
    public static IEmbedder Open(CommandLine args)
    {
        if (args.Value("--endpoint") is not { } endpoint) return Load(args);
        if (args.Value("--model") is not null) throw new CliException("give --model or --endpoint, not both", 2);
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException($"--endpoint needs an http:// or https:// address, got '{endpoint}'", 2);
        var options = new RemoteEmbedderOptions { ApiKey = args.Value("--api-key") ?? Environment.GetEnvironmentVariable("EMBEDDINGS_API_KEY") };
        if (args.PositiveInt("--max-batch-size") is { } size) options.MaxBatchSize = size;
        try
        {
            return RemoteEmbedder.Connect(uri, options);
        }
        catch (Exception e) when (e is RemoteEmbedderException or TimeoutException)
        {
            throw new CliException($"cannot use the server at {endpoint}: {e.Message}");
        }
    }

    public static Embedder Load(CommandLine args)
    {
        var model = args.Value("--model") ?? OnnxEmbedder.DefaultModelId;
        var options = new OnnxEmbedderOptions();
        if (args.Value("--revision") is { } revision) options.Revision = revision;
        if (args.PositiveInt("--threads") is { } threads) options.Runtime.IntraOpThreads = threads;
        if (args.PositiveInt("--max-batch-tokens") is { } budget) options.Embedder.MaxBatchTokens = budget;
        if (args.PositiveInt("--max-batch-size") is { } size) options.Embedder.MaxBatchSize = size;
        if (!Directory.Exists(model) && !HubModelDownloader.IsHubId(model))
            throw new CliException($"model folder not found, and \"{model}\" is not a Hugging Face model id either");
        try
        {
            return OnnxEmbedder.CreateAsync(model, options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ModelConfigurationException or TokenizerFormatException or NotSupportedException or HubException
                                      or OnnxRuntimeException or OnnxRuntimeNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot load the model: {e.Message}");
        }
    }
}
