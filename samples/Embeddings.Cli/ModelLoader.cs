using Embeddings.Hub;
using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>
/// Creates the embedder named by <c>--model</c> (a folder, or a Hugging Face id fetched into the standard cache;
/// the default model when omitted) with the runtime options the command line gives.
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
        var model = args.Value("--model") ?? OnnxEmbedder.DefaultModelId;
        var options = new OnnxEmbedderOptions();
        if (args.Value("--revision") is { } revision) options.Revision = revision;
        if (args.PositiveInt("--threads") is { } threads) options.Runtime.IntraOpThreads = threads;
        if (args.PositiveInt("--max-batch-tokens") is { } budget) options.Embedder.MaxBatchTokens = budget;
        if (args.PositiveInt("--max-batch-size") is { } size) options.Embedder.MaxBatchSize = size;
        return new ModelRequest(model, options);
    }
}

/// <summary>A model the command line asked for, not loaded yet.</summary>
internal sealed record ModelRequest(string Model, OnnxEmbedderOptions Options)
{
    public Embedder Load()
    {
        if (!Directory.Exists(Model) && !HubModelDownloader.IsHubId(Model))
            throw new CliException($"model folder not found, and \"{Model}\" is not a Hugging Face model id either");
        try
        {
            return OnnxEmbedder.CreateAsync(Model, Options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ModelConfigurationException or TokenizerFormatException or NotSupportedException or HubException
                                      or OnnxRuntimeException or OnnxRuntimeNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot load the model: {ErrorText.OneLine(e)}");
        }
    }
}
