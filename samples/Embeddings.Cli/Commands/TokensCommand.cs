using Embeddings.Models;

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
        using var embedder = ModelLoader.Load(args);
        args.RejectUnknown();
        var writer = new JsonLineWriter(io.Output);
        foreach (var (lines, texts) in TextBatches.Read(io.Input))
        {
            IReadOnlyList<TokenEmbeddings> results;
            try
            {
                results = embedder.EmbedTokens(texts, options);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or ModelConfigurationException)
            {
                throw TextBatches.ItemError(e, lines);
            }
            foreach (var result in results)
            {
                writer.BeginObject();
                writer.StringArray("tokens", result.Tokens);
                writer.PairArray("offsets", result.Offsets.Select(o => (o.Start, o.End)).ToArray());
                writer.FloatMatrix("embeddings", result.Vectors.Span, result.Dimensions);
                writer.EndObject();
            }
        }
        return 0;
    }
}
