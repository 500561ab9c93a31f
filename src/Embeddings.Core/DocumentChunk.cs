namespace Embeddings;

/// <summary>One chunk of a document from <see cref="IEmbedder.LateChunk"/>.</summary>
public sealed class DocumentChunk
{
    internal DocumentChunk(int start, int end, string text, ReadOnlyMemory<float> embedding, int tokenCount)
    {
        Start = start;
        End = end;
        Text = text;
        Embedding = embedding;
        TokenCount = tokenCount;
    }

    /// <summary>First UTF-16 index of the chunk in the document.</summary>
    public int Start { get; }

    /// <summary>One past its last UTF-16 index.</summary>
    public int End { get; }

    /// <summary>The chunk's text.</summary>
    public string Text { get; }

    /// <summary>The mean of the vectors of the (non-special) tokens inside the chunk, computed with the whole
    /// document as context; all zeros when no token lies inside.</summary>
    public ReadOnlyMemory<float> Embedding { get; }

    /// <summary>Tokens pooled into <see cref="Embedding"/>.</summary>
    public int TokenCount { get; }
}
