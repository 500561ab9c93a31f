using System.Globalization;
using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;
using Embeddings.Cli.Output;
using Embeddings.Pooling;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embed --model DIR [--pooling cls|mean|max|last] [--normalize true|false] [--dimensions N] [--prompt NAME]
/// [--max-batch-tokens N] [--threads N]</c>: one <c>{"embedding": [...]}</c> per input line, in order.
/// Defaults for pooling, normalization and prompts come from the model folder.
/// </summary>
internal static class EmbedCommand
{
    public static readonly CliCommand Command = new("embed", "one embedding vector per text (sentence-transformers' encode)",
        CommonOptions.ForModelCommand(
            new("--pooling", "cls|mean|max|last", "pool differently from the model's 1_Pooling config"),
            CommonOptions.Normalize with { Description = "L2-normalize the vectors (default: as the model's modules.json says)" },
            new("--dimensions", "N", "keep the first N values (Matryoshka), before normalizing"),
            new("--prompt", "NAME", "a prompt from config_sentence_transformers.json (e.g. query); default: the model's default prompt"),
            EmbeddingFormat.PrecisionOption,
            EmbeddingFormat.EncodingOption,
            CommonOptions.Truncate),
        EmbeddingFormat.OutputShapes,
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new EmbedOptions
        {
            Pooling = ParsePooling(args.Value("--pooling")),
            Normalize = ParseBool(args.Value("--normalize"), "--normalize"),
            Dimensions = args.PositiveInt("--dimensions"),
            PromptName = args.Value("--prompt"),
        };
        var format = EmbeddingFormat.Parse(args);
        var truncation = TruncationChoice.Parse(args);
        truncation.Apply(options);
        bool progress = args.Flag("--progress");
        var model = ModelLoader.Parse(args);
        args.RejectUnknown();
        using var embedder = model.Open();

        var writer = new JsonLineWriter(io.Output);
        var whole = format.NeedsWholeInput ? new List<float>() : null;
        int dimensions = 0;
        ProgressDisplay.Run(progress, "embed", io.CountRecords, bar => TextBatches.ForEachGroup(io, bar, options, texts =>
        {
            var result = embedder.Embed(texts, options);
            truncation.Count(texts.Length, result.TruncatedIndexes.Count);
            dimensions = result.Dimensions;
            if (whole is null) format.WriteRows(writer, result.Data.Span, result.Dimensions);
            else whole.AddRange(result.Data.Span);
        }, locate: texts => embedder.Embed(texts, options)));
        if (whole is not null) format.WriteRows(writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(whole), dimensions);
        truncation.Report(Console.Error, embedder.Info.MaxSequenceLength);
        return 0;
    }

    public static PoolingMode? ParsePooling(string? value) => value is null ? null
        : Embeddings.Pooling.PoolingModeNames.TryParse(value, out var mode) ? mode : throw new CliException($"unknown pooling '{value}'; use cls, mean, max or last", 2);

    public static bool? ParseBool(string? value, string name) => value?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new CliException(string.Create(CultureInfo.InvariantCulture, $"option {name} takes true or false, got '{value}'"), 2),
    };
}
