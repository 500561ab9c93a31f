using System.Globalization;
using Embeddings.Pooling;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embed --model DIR [--pooling cls|mean|max|last] [--normalize true|false] [--dimensions N] [--prompt NAME]
/// [--max-batch-tokens N] [--threads N]</c>: one <c>{"embedding": [...]}</c> per input line, in order.
/// Defaults for pooling, normalization and prompts come from the model folder.
/// </summary>
internal static class EmbedCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new EmbedOptions
        {
            Pooling = ParsePooling(args.Value("--pooling")),
            Normalize = ParseBool(args.Value("--normalize"), "--normalize"),
            Dimensions = args.PositiveInt("--dimensions"),
            PromptName = args.Value("--prompt"),
        };
        using var embedder = ModelLoader.Open(args);
        args.RejectUnknown();

        TextBatches.Process(io, texts => embedder.Embed(texts, options),
            (writer, result) =>
            {
                writer.FloatArray("embedding", result.Span);
            });
        return 0;
    }

    public static PoolingMode? ParsePooling(string? value) => value is null ? null
        : Embeddings.Models.PoolingConfig.ParseMode(value) ?? throw new CliException($"unknown pooling '{value}'; use cls, mean, max or last", 2);

    public static bool? ParseBool(string? value, string name) => value?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new CliException(string.Create(CultureInfo.InvariantCulture, $"option {name} takes true or false, got '{value}'"), 2),
    };
}
