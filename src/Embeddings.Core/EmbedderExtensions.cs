using Embeddings.AI;
using Microsoft.Extensions.AI;

namespace Embeddings;

/// <summary>Conveniences over <see cref="IEmbedder"/>.</summary>
public static class EmbedderExtensions
{
    /// <summary>Embeds one text.</summary>
    /// <param name="embedder">The embedder.</param>
    /// <param name="text">The text.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>Its vector (a fresh array).</returns>
    public static float[] Embed(this IEmbedder embedder, string text, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(text);
        return embedder.Embed([text], options, cancellationToken).ToArray(0);
    }

    /// <summary>Embeds one text without blocking.</summary>
    /// <inheritdoc cref="Embed(IEmbedder, string, EmbedOptions?, CancellationToken)"/>
    public static async Task<float[]> EmbedAsync(this IEmbedder embedder, string text, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(text);
        var result = await embedder.EmbedAsync([text], options, cancellationToken).ConfigureAwait(false);
        return result.ToArray(0);
    }

    /// <summary>This embedder as a Microsoft.Extensions.AI embedding generator (which Semantic Kernel consumes).</summary>
    /// <param name="embedder">The embedder; not disposed by the generator.</param>
    /// <param name="defaults">Options for every call (e.g. a prompt name); null for the model's defaults.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this IEmbedder embedder, EmbedOptions? defaults = null) =>
        new EmbedderEmbeddingGenerator(embedder, defaults);
}
