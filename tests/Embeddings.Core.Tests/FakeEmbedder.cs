using Embeddings.Models;

namespace Embeddings.Core.Tests;

/// <summary>
/// An <see cref="IEmbedder"/> whose vectors are computable by hand: text i of length n embeds to
/// [n, n+1, …] truncated to the requested dimensions and normalized when asked. Records the options it saw.
/// </summary>
internal sealed class FakeEmbedder : IEmbedder
{
    public EmbedOptions? LastOptions { get; private set; }
    public bool Disposed { get; private set; }

    public EmbedderInfo Info { get; } = new()
    {
        ModelId = "fake/model", Dimensions = 4, HiddenSize = 4, MaxSequenceLength = 16, VocabularySize = 10,
        Pooling = [Embeddings.Pooling.PoolingMode.Mean], Normalize = false, Prompts = new Dictionary<string, string>(),
        Similarity = SimilarityFunction.Cosine, PaddingSide = SequenceSide.Right, SupportsSparse = false, SupportsTokenEmbeddings = false,
        BatchDependent = false,
    };

    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        LastOptions = options;
        int dimensions = options?.Dimensions ?? Info.Dimensions;
        var data = new float[texts.Count * dimensions];
        for (int i = 0; i < texts.Count; i++)
        for (int d = 0; d < dimensions; d++)
            data[i * dimensions + d] = texts[i].Length + d;
        return new EmbeddingResult(data, dimensions, texts.Select(t => t.Length + 2).ToArray(), []);
    }

    public Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Embed(texts, options, cancellationToken));

    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake only makes dense vectors.");

    public Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake only makes dense vectors.");

    public IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake only makes dense vectors.");

    public Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake only makes dense vectors.");

    public IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake only makes dense vectors.");

    public Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake only makes dense vectors.");

    public void Dispose() => Disposed = true;
}
