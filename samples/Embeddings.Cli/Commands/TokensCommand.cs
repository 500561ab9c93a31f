using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>tokens --model DIR [--no-special] [--normalize true|false]</c>: per input line
/// <c>{"tokens": [...], "offsets": [[s, e], ...], "embeddings": [[...], ...]}</c> (EmbedTokens; special tokens
/// included by default, offsets are UTF-16 indexes into the text).
/// </summary>
internal static class TokensCommand
{
    public static readonly CliCommand Command = new("tokens", "one vector per token of each text (the model's last hidden states)",
        CommonOptions.ForModelCommand(
            new("--no-special", null, "leave out special tokens ([CLS], [SEP], ...)"),
            CommonOptions.Normalize with { Description = "L2-normalize each token vector (default false)" },
            CommonOptions.Truncate),
        "{\"tokens\":[\"[CLS]\",\"hello\",...],\"offsets\":[[0,0],[0,5],...],\"embeddings\":[[...],[...],...]}\n"
        + "offsets are UTF-16 [start,end) indexes into the text; one embedding row per token",
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new TokenEmbeddingOptions
        {
            IncludeSpecialTokens = !args.Flag("--no-special"),
            Normalize = EmbedCommand.ParseBool(args.Value("--normalize"), "--normalize") ?? false,
        };
        var truncation = TruncationChoice.Parse(args);
        truncation.Apply(options);
        bool progress = args.Flag("--progress");
        var model = ModelLoader.Parse(args);
        args.RejectUnknown();
        using var embedder = model.Open();
        ProgressDisplay.Run(progress, "tokens", io.CountRecords, bar => TextBatches.Process(io, bar, options,
            texts =>
            {
                var results = embedder.EmbedTokens(texts, options);
                truncation.Count(texts.Length, results.Count(r => r.WasTruncated));
                return results;
            },
            (writer, result) =>
            {
                writer.StringArray("tokens", result.Tokens);
                writer.PairArray("offsets", result.Offsets.Select(o => (o.Start, o.End)).ToArray());
                writer.FloatMatrix("embeddings", result.Vectors.Span, result.Dimensions);
            }));
        truncation.Report(Console.Error, embedder.Info.MaxSequenceLength);
        return 0;
    }
}
