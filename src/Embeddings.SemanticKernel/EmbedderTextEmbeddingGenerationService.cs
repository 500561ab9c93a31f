using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;
using Microsoft.SemanticKernel.Services;

namespace Embeddings.SemanticKernel;

/// <summary>
/// Semantic Kernel's <see cref="ITextEmbeddingGenerationService"/> over an <see cref="IEmbedder"/>, for the kernel
/// plugins, memory and text-search code that still asks for that interface rather than
/// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.
/// </summary>
/// <remarks>
/// One call embeds the whole list through the embedder (length-sorted, token-budget batches; results in input order)
/// and honours the cancellation token. <see cref="Attributes"/> carries the model id under
/// <see cref="AIServiceExtensions.ModelIdKey"/>. Thread-safe; does not own the embedder.
/// </remarks>
#pragma warning disable CS0618 // ITextEmbeddingGenerationService is obsolete in Semantic Kernel, and still widely asked for.
public sealed class EmbedderTextEmbeddingGenerationService : ITextEmbeddingGenerationService
#pragma warning restore CS0618
{
    /// <summary>The attribute key under which the embedding dimension is reported.</summary>
    public const string DimensionsKey = "Dimensions";

    private readonly IEmbedder _embedder;
    private readonly EmbedOptions? _defaults;

    /// <summary>Wraps <paramref name="embedder"/>.</summary>
    /// <param name="embedder">The embedder (not disposed by this service).</param>
    /// <param name="defaults">Options applied to every call (a prompt name, normalization, dimensions); null for the model's defaults.</param>
    public EmbedderTextEmbeddingGenerationService(IEmbedder embedder, EmbedOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        _embedder = embedder;
        _defaults = defaults?.Clone();
        Attributes = new Dictionary<string, object?>
        {
            [AIServiceExtensions.ModelIdKey] = embedder.Info.ModelId,
            [DimensionsKey] = _defaults?.Dimensions ?? embedder.Info.Dimensions,
        };
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <inheritdoc/>
    public async Task<IList<ReadOnlyMemory<float>>> GenerateEmbeddingsAsync(IList<string> data, Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var texts = data as IReadOnlyList<string> ?? data.ToArray();
        // Each call gets its own options object: EmbedOptions are mutable and the defaults are shared.
        var result = await _embedder.EmbedAsync(texts, _defaults?.Clone(), cancellationToken).ConfigureAwait(false);
        var vectors = new ReadOnlyMemory<float>[result.Count];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = result[i];
        return vectors;
    }
}
