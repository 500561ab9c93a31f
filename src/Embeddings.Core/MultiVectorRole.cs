namespace Embeddings;

/// <summary>Which side of a late-interaction search a text is on: it picks the prompt, the length limit,
/// query expansion and the mask (sentence-transformers' <c>encode_query</c> / <c>encode_document</c>).</summary>
public enum MultiVectorRole
{
    /// <summary>A search query.</summary>
    Query,
    /// <summary>A document (passage) to be searched.</summary>
    Document,
}
