namespace Embeddings.Chunking;

/// <summary>Chunks at spans the caller chose, checked against the text.</summary>
public sealed class SpanChunker : IChunker
{
    private readonly ChunkSpan[] _spans;

    /// <summary>Creates the chunker.</summary>
    /// <param name="spans">The chunks, in any order; each must lie inside the document and be non-empty.</param>
    /// <param name="allowOverlap">Accept spans that overlap each other.</param>
    /// <exception cref="ArgumentException">A span is empty or spans overlap when not allowed (the message names the span).</exception>
    public SpanChunker(IEnumerable<ChunkSpan> spans, bool allowOverlap = false)
    {
        ArgumentNullException.ThrowIfNull(spans);
        _spans = spans.OrderBy(s => s.Start).ThenBy(s => s.End).ToArray();
        AllowOverlap = allowOverlap;
        for (int i = 0; i < _spans.Length; i++)
        {
            var span = _spans[i];
            if (span.Start < 0 || span.End <= span.Start)
                throw new ArgumentException($"Chunk span [{span.Start}, {span.End}) is empty or negative.", nameof(spans));
            if (!allowOverlap && i > 0 && span.Start < _spans[i - 1].End)
                throw new ArgumentException($"Chunk span [{span.Start}, {span.End}) overlaps [{_spans[i - 1].Start}, {_spans[i - 1].End}); pass allowOverlap: true to accept overlaps.", nameof(spans));
        }
    }

    /// <summary>True when spans may overlap.</summary>
    public bool AllowOverlap { get; }

    /// <inheritdoc/>
    public bool TilesText => false;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A span ends past the text (the message names it).</exception>
    public IReadOnlyList<ChunkSpan> Chunk(string text, IReadOnlyList<ChunkSpan> tokenOffsets)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var span in _spans)
            if (span.End > text.Length)
                throw new ArgumentException($"Chunk span [{span.Start}, {span.End}) lies outside the document of {text.Length} characters.", nameof(text));
        return _spans;
    }
}
