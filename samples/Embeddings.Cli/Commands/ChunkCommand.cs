using Embeddings.Chunking;
using Embeddings.Cli.Feedback;
using Embeddings.Cli.Help;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>chunk --model DIR [--chunker sentences|tokens:N] [--max-length N]</c>: per input document
/// <c>{"chunks": [{"start": s, "end": e, "text": "...", "embedding": [...]}, ...]}</c> (LateChunk; chunk vectors
/// L2-normalized; documents longer than the model window are embedded in overlapping windows).
/// </summary>
internal static class ChunkCommand
{
    public static readonly CliCommand Command = new("chunk", "split each document into chunks and embed them in context (late chunking)",
        CommonOptions.ForModelCommand(
            new("--chunker", "sentences|tokens:N", "chunk at sentence ends (default) or every N tokens"),
            new("--max-length", "N", "tokens per model window (at least 3; default: the model's limit); longer documents take overlapping windows"),
            CommonOptions.Normalize with { Description = "L2-normalize the chunk vectors (default true)" }),
        "{\"chunks\":[{\"start\":0,\"end\":42,\"text\":\"...\",\"embedding\":[...]},...]}   start/end are UTF-16 indexes into the text",
        Run);

    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new LateChunkOptions
        {
            Chunker = ParseChunker(args.Value("--chunker")),
            MaxLength = args.PositiveInt("--max-length"),
            Normalize = EmbedCommand.ParseBool(args.Value("--normalize"), "--normalize") ?? true,
        };
        if (options.MaxLength is < 3) throw new CliException("--max-length must be at least 3", 2);
        bool progress = args.Flag("--progress");
        var model = ModelLoader.Parse(args);
        args.RejectUnknown();
        using var embedder = model.Load();
        ProgressDisplay.Run(progress, "chunk", io.CountRecords, bar => TextBatches.Process(io, bar, options, texts => embedder.LateChunk(texts, options),
            (writer, result) =>
            {
                writer.BeginObjectArray("chunks");
                foreach (var chunk in result)
                {
                    writer.BeginItem();
                    writer.Int("start", chunk.Start);
                    writer.Int("end", chunk.End);
                    writer.StringValue("text", chunk.Text);
                    writer.FloatArray("embedding", chunk.Embedding.Span);
                    writer.EndItem();
                }
                writer.EndObjectArray();
            }));
        return 0;
    }

    private static IChunker ParseChunker(string? value)
    {
        if (value is null or "sentences") return SentenceChunker.Instance;
        if (value.StartsWith("tokens:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan("tokens:".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0)
            return new TokenWindowChunker(n);
        throw new CliException($"unknown chunker '{value}'; use sentences or tokens:N", 2);
    }
}
