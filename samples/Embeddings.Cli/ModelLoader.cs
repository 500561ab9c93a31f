using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>Creates the embedder named by <c>--model</c> with the runtime options the command line gives.</summary>
internal static class ModelLoader
{
    public static Embedder Load(CommandLine args)
    {
        var model = args.Value("--model") ?? throw new CliException("missing --model DIR", 2);
        var options = new OnnxEmbedderOptions();
        if (args.PositiveInt("--threads") is { } threads) options.Runtime.IntraOpThreads = threads;
        if (args.PositiveInt("--max-batch-tokens") is { } budget) options.Embedder.MaxBatchTokens = budget;
        if (args.PositiveInt("--max-batch-size") is { } size) options.Embedder.MaxBatchSize = size;
        if (!Directory.Exists(model)) throw new CliException($"model folder not found: {model}");
        try
        {
            return OnnxEmbedder.Create(model, options);
        }
        catch (Exception e) when (e is ModelConfigurationException or TokenizerFormatException or NotSupportedException
                                      or OnnxRuntimeException or OnnxRuntimeNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot load the model: {e.Message}");
        }
    }
}
