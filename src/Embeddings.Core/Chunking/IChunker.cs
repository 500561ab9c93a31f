namespace Embeddings.Chunking;

/// <summary>Decides where a document's chunks are, for late chunking.</summary>
/// <remarks>Implementations must be thread-safe: one instance may serve many calls at once.</remarks>
public interface IChunker
{
    /// <summary>True when the chunks, joined, always reproduce the whole text (no gaps, no overlaps).</summary>
    bool TilesText { get; }

    /// <summary>The chunks of <paramref name="text"/>, in order.</summary>
    /// <param name="text">The document.</param>
    /// <param name="tokenOffsets">UTF-16 spans of the document's tokens (special tokens excluded), in order;
    /// chunkers that count tokens use them.</param>
    IReadOnlyList<ChunkSpan> Chunk(string text, IReadOnlyList<ChunkSpan> tokenOffsets);
}
