namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>sparse --model DIR [--top-k N]</c>: per input line <c>{"indices": [...], "values": [...]}</c>, sorted by
/// index (EmbedSparse, SPLADE).
/// </summary>
internal static class SparseCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new SparseEmbeddingOptions { TopK = args.PositiveInt("--top-k") };
        using var embedder = ModelLoader.Open(args);
        args.RejectUnknown();
        TextBatches.Process(io, texts => embedder.EmbedSparse(texts, options),
            (writer, result) =>
            {
                writer.IntArray("indices", result.Indices.ToArray());
                writer.FloatArray("values", result.Values.ToArray());
            });
        return 0;
    }
}
