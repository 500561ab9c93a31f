using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>
/// Creates the reranker (cross-encoder) named by <c>--model</c>: a folder, or a Hugging Face id fetched into the
/// standard cache, with the runtime and batching options the command line gives.
/// </summary>
internal static class RerankerLoader
{
    public static Reranker Load(CommandLine args)
    {
        var model = args.Value("--model") ?? throw new CliException("rerank needs --model (a cross-encoder folder or Hugging Face id)", 2);
        var options = new OnnxEmbedderOptions();
        if (args.Value("--revision") is { } revision) options.Revision = revision;
        if (args.PositiveInt("--threads") is { } threads) options.Runtime.IntraOpThreads = threads;
        if (args.PositiveInt("--max-batch-tokens") is { } budget) options.Embedder.MaxBatchTokens = budget;
        if (args.PositiveInt("--max-batch-size") is { } size) options.Embedder.MaxBatchSize = size;
        if (!Directory.Exists(model) && !HubModelDownloader.IsHubId(model))
            throw new CliException($"model folder not found, and \"{model}\" is not a Hugging Face model id either");
        try
        {
            return OnnxReranker.CreateAsync(model, options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ModelConfigurationException or TokenizerFormatException or NotSupportedException or HubException
                                      or OnnxRuntimeException or OnnxRuntimeNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot load the reranker: {e.Message}");
        }
    }
}
