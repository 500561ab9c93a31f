using Embeddings.Models;

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
        using var embedder = ModelLoader.Load(args);
        args.RejectUnknown();
        var writer = new JsonLineWriter(io.Output);
        foreach (var (lines, texts) in TextBatches.Read(io.Input))
        {
            IReadOnlyList<SparseEmbedding> results;
            try
            {
                results = embedder.EmbedSparse(texts, options);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or ModelConfigurationException)
            {
                throw TextBatches.ItemError(e, lines);
            }
            foreach (var result in results)
            {
                writer.BeginObject();
                writer.IntArray("indices", result.Indices.ToArray());
                writer.FloatArray("values", result.Values.ToArray());
                writer.EndObject();
            }
        }
        return 0;
    }
}
