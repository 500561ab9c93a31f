namespace Embeddings;

/// <summary>
/// Scores documents against a query with a cross-encoder (a sequence-classification model that reads the query and
/// the document together), as sentence-transformers' <c>CrossEncoder.rank</c> and TEI's <c>/rerank</c> do.
/// </summary>
/// <remarks>
/// <para>Thread safety: every member may be called from many threads at once on one instance; calls share only
/// immutable state and the model session.</para>
/// <para>A document's score never depends on the other documents of the call: pairs are batched by length, padded
/// only to their batch's longest member, and the model masks padding.</para>
/// <para>Disposing releases the model; later calls throw <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public interface IReranker : IDisposable
{
    /// <summary>What the model is and how it scores.</summary>
    RerankerInfo Info { get; }

    /// <summary>Scores every document against <paramref name="query"/> and returns them best first.</summary>
    /// <param name="query">The query; not null (an empty query is allowed).</param>
    /// <param name="documents">The documents; none may be null. An empty list gives an empty result.</param>
    /// <param name="options">Per-call settings (top-k, raw scores, truncation); null for the defaults.</param>
    /// <param name="cancellationToken">Stops the call between batches and inside a running batch.</param>
    /// <returns>One entry per document (or the <see cref="RerankOptions.TopK"/> best), sorted by score, highest first;
    /// equal scores keep input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/>, <paramref name="documents"/> or one of its items is null (the message names the index).</exception>
    /// <exception cref="InputTooLongException">A pair is too long and <see cref="OverlongInputPolicy.Error"/> was asked for.</exception>
    /// <exception cref="ObjectDisposedException">The reranker was disposed (before or during the call).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Models.ModelConfigurationException">A token id falls outside the model's embedding table: the tokenizer does not belong to the model.</exception>
    IReadOnlyList<RerankResult> Rerank(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Scores and sorts documents without blocking the calling thread.</summary>
    /// <inheritdoc cref="Rerank" path="/param"/>
    /// <inheritdoc cref="Rerank" path="/returns"/>
    /// <inheritdoc cref="Rerank" path="/exception"/>
    /// <exception cref="EmbeddingQueueFullException">The micro-batching queue (<see cref="EmbedderOptions.Queue"/>) holds its maximum of tokens; retry later.</exception>
    Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default);
}
