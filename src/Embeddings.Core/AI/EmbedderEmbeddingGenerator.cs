using Microsoft.Extensions.AI;

namespace Embeddings.AI;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over an <see cref="IEmbedder"/>, for
/// Microsoft.Extensions.AI and everything built on it (Semantic Kernel's vector stores and memory take
/// any <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>).
/// </summary>
/// <remarks>
/// <see cref="EmbeddingGenerationOptions.Dimensions"/> maps to Matryoshka truncation (then normalization,
/// when the model normalizes). Usage reports the input tokens. <see cref="GetService"/> answers the
/// <see cref="EmbeddingGeneratorMetadata"/>, the <see cref="IEmbedder"/> and this object. Thread-safe.
/// </remarks>
internal sealed class EmbedderEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in metadata.</summary>
    public const string ProviderName = "embeddings-dotnet";

    private readonly IEmbedder _embedder;
    private readonly bool _ownsEmbedder;
    private readonly EmbedOptions _defaults;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Wraps <paramref name="embedder"/>.</summary>
    /// <param name="embedder">The embedder.</param>
    /// <param name="defaults">Options applied to every call (prompt, normalization…); null for the model's defaults.</param>
    /// <param name="ownsEmbedder">Dispose the embedder with this generator.</param>
    public EmbedderEmbeddingGenerator(IEmbedder embedder, EmbedOptions? defaults = null, bool ownsEmbedder = false)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        _embedder = embedder;
        _ownsEmbedder = ownsEmbedder;
        _defaults = defaults?.Clone() ?? new EmbedOptions();
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, null, embedder.Info.ModelId, _defaults.Dimensions ?? embedder.Info.Dimensions);
    }

    /// <inheritdoc/>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var callOptions = _defaults.Clone();
        if (options?.Dimensions is { } dimensions) callOptions.Dimensions = dimensions;
        if (options?.ModelId is { } modelId && !string.Equals(modelId, _embedder.Info.ModelId, StringComparison.Ordinal))
            throw new ArgumentException($"This generator runs {_embedder.Info.ModelId}; it cannot serve model \"{modelId}\".", nameof(options));

        var result = await _embedder.EmbedAsync(texts, callOptions, cancellationToken).ConfigureAwait(false);
        var created = DateTimeOffset.UtcNow;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(result.Count);
        for (int i = 0; i < result.Count; i++)
            embeddings.Add(new Embedding<float>(result[i]) { CreatedAt = created, ModelId = _embedder.Info.ModelId });
        embeddings.Usage = new UsageDetails { InputTokenCount = result.TotalTokens, TotalTokenCount = result.TotalTokens };
        return embeddings;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType.IsInstanceOfType(_embedder)) return _embedder;
        return null;
    }

    /// <summary>Disposes the embedder when this generator owns it.</summary>
    public void Dispose()
    {
        if (_ownsEmbedder) _embedder.Dispose();
    }
}
