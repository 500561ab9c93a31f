namespace Embeddings.Server.Tests.Support;

/// <summary>An <see cref="IEmbedder"/> that forwards to another; tests override the asynchronous calls to stand in for a busy or slow model.</summary>
internal class DelegatingEmbedder(IEmbedder inner) : IEmbedder
{
    protected IEmbedder Inner { get; } = inner;

    public EmbedderInfo Info => Inner.Info;

    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.Embed(texts, options, cancellationToken);

    public virtual Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.EmbedAsync(texts, options, cancellationToken);

    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.EmbedTokens(texts, options, cancellationToken);

    public virtual Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.EmbedTokensAsync(texts, options, cancellationToken);

    public IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.EmbedSparse(texts, options, cancellationToken);

    public virtual Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.EmbedSparseAsync(texts, options, cancellationToken);

    public IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.LateChunk(documents, options, cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.LateChunkAsync(documents, options, cancellationToken);

    public void Dispose() => Inner.Dispose();
}
