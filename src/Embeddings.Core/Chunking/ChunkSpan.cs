namespace Embeddings.Chunking;

/// <summary>A chunk of a document: UTF-16 indexes [<see cref="Start"/>, <see cref="End"/>) into the text.</summary>
/// <param name="Start">First character.</param>
/// <param name="End">One past the last character.</param>
public readonly record struct ChunkSpan(int Start, int End)
{
    /// <summary>Characters in the span.</summary>
    public int Length => End - Start;

    /// <summary>The span's text.</summary>
    /// <param name="document">The document the span indexes.</param>
    public string TextOf(string document) => document.Substring(Start, Length);
}
