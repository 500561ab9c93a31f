using Embeddings.Chunking;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>chunk --model DIR [--chunker sentences|tokens:N] [--max-length N]</c>: per input document
/// <c>{"chunks": [{"start": s, "end": e, "text": "...", "embedding": [...]}, ...]}</c> (LateChunk; chunk vectors
/// L2-normalized; documents longer than the model window are embedded in overlapping windows).
/// </summary>
internal static class ChunkCommand
{
    public static int Run(CommandLine args, CommandIO io)
    {
        var options = new LateChunkOptions
        {
            Chunker = ParseChunker(args.Value("--chunker")),
            MaxLength = args.PositiveInt("--max-length"),
            Normalize = EmbedCommand.ParseBool(args.Value("--normalize"), "--normalize") ?? true,
        };
        if (options.MaxLength is < 3) throw new CliException("--max-length must be at least 3", 2);
        using var embedder = ModelLoader.Load(args);
        args.RejectUnknown();
        TextBatches.Process(io, texts => embedder.LateChunk(texts, options),
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
            });
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
