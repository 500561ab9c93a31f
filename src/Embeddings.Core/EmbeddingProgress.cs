namespace Embeddings;

/// <summary>How far a call has come, reported after each batch.</summary>
/// <param name="Completed">Items finished.</param>
/// <param name="Total">Items in the call.</param>
public readonly record struct EmbeddingProgress(int Completed, int Total);
