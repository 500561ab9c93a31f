namespace Embeddings.MultiVector;

/// <summary>Reranking with a multi-vector (ColBERT-style) model: embed the query and the candidates, order by MaxSim.</summary>
public static class MultiVectorEmbedderExtensions
{
    /// <summary>
    /// Orders <paramref name="documents"/> by their MaxSim score against <paramref name="query"/>, highest first,
    /// the way a cross-encoder reranker is used (but the document rows could also come from an index).
    /// </summary>
    /// <param name="embedder">A multi-vector model.</param>
    /// <param name="query">The query.</param>
    /// <param name="documents">The candidates; none may be null.</param>
    /// <param name="topK">Keep only the best this many; null keeps all.</param>
    /// <param name="lengthNormalize">Divide scores by the number of query rows (MeanMaxSim).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>{index, score} pairs, best first.</returns>
    /// <exception cref="NotSupportedException">The model is not a multi-vector model.</exception>
    public static async Task<IReadOnlyList<MaxSimResult>> RerankAsync(this IMultiVectorEmbedder embedder, string query, IReadOnlyList<string> documents,
        int? topK = null, bool lengthNormalize = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (topK is < 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must not be negative.");
        var queryRows = await embedder.EmbedMultiVectorAsync([query], MultiVectorRole.Query, cancellationToken: cancellationToken).ConfigureAwait(false);
        var documentRows = await embedder.EmbedMultiVectorAsync(documents, MultiVectorRole.Document, cancellationToken: cancellationToken).ConfigureAwait(false);
        return MaxSim.Rank(queryRows[0], documentRows, topK, lengthNormalize);
    }

    /// <summary>Reranks synchronously on the calling thread.</summary>
    /// <inheritdoc cref="RerankAsync" path="/param"/>
    /// <inheritdoc cref="RerankAsync" path="/returns"/>
    /// <inheritdoc cref="RerankAsync" path="/exception"/>
    public static IReadOnlyList<MaxSimResult> Rerank(this IMultiVectorEmbedder embedder, string query, IReadOnlyList<string> documents,
        int? topK = null, bool lengthNormalize = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (topK is < 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must not be negative.");
        var queryRows = embedder.EmbedMultiVector([query], MultiVectorRole.Query, cancellationToken: cancellationToken);
        var documentRows = embedder.EmbedMultiVector(documents, MultiVectorRole.Document, cancellationToken: cancellationToken);
        return MaxSim.Rank(queryRows[0], documentRows, topK, lengthNormalize);
    }
}
