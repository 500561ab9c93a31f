namespace Embeddings.Chunking;

/// <summary>
/// Chunks a document into runs of a fixed number of tokens. A chunk spans from its first token's start to
/// its last token's end; a cut never separates tokens that share characters (byte-level pieces of one
/// character), so chunks never overlap.
/// </summary>
public sealed class TokenWindowChunker : IChunker
{
    /// <summary>Creates the chunker.</summary>
    /// <param name="tokensPerChunk">Tokens per chunk (≥ 1); the last chunk may be shorter.</param>
    public TokenWindowChunker(int tokensPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerChunk, 1);
        TokensPerChunk = tokensPerChunk;
    }

    /// <summary>Tokens per chunk.</summary>
    public int TokensPerChunk { get; }

    /// <inheritdoc/>
    public bool TilesText => false;

    /// <inheritdoc/>
    public IReadOnlyList<ChunkSpan> Chunk(string text, IReadOnlyList<ChunkSpan> tokenOffsets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenOffsets);
        // Tokens without characters (e.g. zero-width pieces) cannot anchor a span.
        var tokens = tokenOffsets.Where(t => t.Length > 0).ToArray();
        var spans = new List<ChunkSpan>();
        int first = 0;
        while (first < tokens.Length)
        {
            int last = Math.Min(first + TokensPerChunk, tokens.Length) - 1;
            // Extend past tokens that start before the chunk's current end (they share its characters).
            int end = tokens[last].End;
            while (last + 1 < tokens.Length && tokens[last + 1].Start < end) end = Math.Max(end, tokens[++last].End);
            int start = spans.Count == 0 ? tokens[first].Start : Math.Max(tokens[first].Start, spans[^1].End);
            if (end > start) spans.Add(new ChunkSpan(start, end));
            first = last + 1;
        }
        return spans;
    }
}
