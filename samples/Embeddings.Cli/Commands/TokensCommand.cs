namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>tokens --model DIR [--no-special] [--normalize true|false]</c>: per input line
/// <c>{"tokens": [...], "offsets": [[s, e], ...], "embeddings": [[...], ...]}</c> (EmbedTokens; special tokens
/// included by default, offsets are UTF-16 indexes into the text).
/// </summary>
internal static class TokensCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new TokenEmbeddingOptions
        {
            IncludeSpecialTokens = !args.Flag("--no-special"),
            Normalize = EmbedCommand.ParseBool(args.Value("--normalize"), "--normalize") ?? false,
        };
        using var embedder = ModelLoader.Open(args);
        args.RejectUnknown();
        TextBatches.Process(io, texts => embedder.EmbedTokens(texts, options),
            (writer, result) =>
            {
                writer.StringArray("tokens", result.Tokens);
                writer.PairArray("offsets", result.Offsets.Select(o => (o.Start, o.End)).ToArray());
                writer.FloatMatrix("embeddings", result.Vectors.Span, result.Dimensions);
            });
        return 0;
    }
}
