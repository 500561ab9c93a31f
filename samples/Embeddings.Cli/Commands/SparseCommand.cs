using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>sparse --model DIR [--top-k N]</c>: per input line <c>{"indices": [...], "values": [...]}</c>, sorted by
/// index (EmbedSparse, SPLADE).
/// </summary>
internal static class SparseCommand
{
    public static readonly CliCommand Command = new("sparse", "one sparse vocabulary vector per text (SPLADE models)",
        CommonOptions.ForModelCommand(
            new("--top-k", "N", "keep only the N largest weights"),
            CommonOptions.Truncate),
        "{\"indices\":[101,2054,...],\"values\":[0.41,1.27,...]}   vocabulary indexes with positive weights, sorted by index",
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new SparseEmbeddingOptions { TopK = args.PositiveInt("--top-k") };
        var truncation = TruncationChoice.Parse(args);
        truncation.Apply(options);
        bool progress = args.Flag("--progress");
        var model = ModelLoader.Parse(args);
        args.RejectUnknown();
        using var embedder = model.Open();
        ProgressDisplay.Run(progress, "sparse", io.CountRecords, bar => TextBatches.Process(io, bar, options,
            texts =>
            {
                var results = embedder.EmbedSparse(texts, options);
                truncation.Count(texts.Length, results.Count(r => r.WasTruncated));
                return results;
            },
            (writer, result) =>
            {
                writer.IntArray("indices", result.Indices.ToArray());
                writer.FloatArray("values", result.Values.ToArray());
            }));
        truncation.Report(Console.Error, embedder.Info.MaxSequenceLength);
        return 0;
    }
}
