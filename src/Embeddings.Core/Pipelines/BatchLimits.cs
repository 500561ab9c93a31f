using Embeddings.Batching;

namespace Embeddings.Pipelines;

/// <summary>How a call runs on its own: its batch limits and progress, fixed when the call is prepared.</summary>
/// <param name="MaxBatchTokens">Padded-token budget per batch.</param>
/// <param name="MaxBatchSize">Most sequences per batch.</param>
/// <param name="Progress">Told after each batch, or null.</param>
internal readonly record struct BatchLimits(int MaxBatchTokens, int MaxBatchSize, IProgress<EmbeddingProgress>? Progress)
{
    /// <summary>The call's own settings where it has them, the embedder's otherwise.</summary>
    public static BatchLimits Resolve(BatchingOptions call, EmbedderOptions embedder) =>
        new(call.MaxBatchTokens ?? embedder.MaxBatchTokens, call.MaxBatchSize ?? embedder.MaxBatchSize, call.Progress);
}
