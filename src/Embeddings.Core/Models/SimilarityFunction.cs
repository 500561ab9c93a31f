namespace Embeddings.Models;

/// <summary>How two embeddings are compared (sentence-transformers' <c>similarity_fn_name</c>).</summary>
public enum SimilarityFunction
{
    /// <summary>Cosine similarity (the default).</summary>
    Cosine,
    /// <summary>Dot product.</summary>
    Dot,
    /// <summary>Negative Euclidean distance (higher is more similar).</summary>
    Euclidean,
    /// <summary>Negative Manhattan distance (higher is more similar).</summary>
    Manhattan,
}
