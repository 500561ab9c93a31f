namespace Embeddings;

/// <summary>
/// Multi-vector (late-interaction, ColBERT-style) embeddings, as sentence-transformers 6's <c>MultiVectorEncoder</c>
/// computes them: every kept token of a text becomes one row (the model's hidden state through its token-level
/// Dense modules, mask and normalization). Score queries against documents with <see cref="Embeddings.MultiVector.MaxSim"/>.
/// </summary>
/// <remarks>Implemented by <see cref="Embedder"/> beside <see cref="IEmbedder"/>; thread-safe like it. Results
/// are in the caller's order and never depend on what else was embedded in the same call.</remarks>
public interface IMultiVectorEmbedder
{
    /// <summary>True when the model is a multi-vector model (its folder is a MultiVectorEncoder or PyLate model).</summary>
    bool SupportsMultiVector { get; }

    /// <summary>The width of the rows, or 0 when the model is not a multi-vector model.</summary>
    int MultiVectorDimensions { get; }

    /// <summary>Embeds <paramref name="texts"/> as queries or documents, one matrix of rows each.</summary>
    /// <param name="texts">The texts; none may be null.</param>
    /// <param name="role">Queries or documents: picks the prompt, length limit, query expansion and mask.</param>
    /// <param name="options">Per-call settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the call between batches and inside a running batch.</param>
    /// <returns>One embedding per text, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null (the message names the index).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined role.</exception>
    /// <exception cref="ArgumentException"><see cref="MultiVectorOptions.PromptName"/> is not one of the model's prompts.</exception>
    /// <exception cref="InputTooLongException">A text is too long and <see cref="OverlongInputPolicy.Error"/> was asked for.</exception>
    /// <exception cref="NotSupportedException">The model is not a multi-vector model, or gives no per-token hidden states.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed (before or during the call).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IReadOnlyList<MultiVectorEmbedding> EmbedMultiVector(IReadOnlyList<string> texts, MultiVectorRole role, MultiVectorOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Multi-vector embeddings without blocking the calling thread.</summary>
    /// <inheritdoc cref="EmbedMultiVector" path="/param"/>
    /// <inheritdoc cref="EmbedMultiVector" path="/returns"/>
    /// <inheritdoc cref="EmbedMultiVector" path="/exception"/>
    /// <exception cref="EmbeddingQueueFullException">The micro-batching queue (<see cref="EmbedderOptions.Queue"/>) holds its maximum of tokens; retry later.</exception>
    Task<IReadOnlyList<MultiVectorEmbedding>> EmbedMultiVectorAsync(IReadOnlyList<string> texts, MultiVectorRole role, MultiVectorOptions? options = null,
        CancellationToken cancellationToken = default);
}
