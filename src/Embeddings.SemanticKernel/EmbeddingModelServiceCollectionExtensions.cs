using Embeddings;
using Embeddings.AI;
using Embeddings.Onnx;
using Embeddings.SemanticKernel;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.Embeddings;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a local embedding model for Semantic Kernel in a service collection: both the Microsoft.Extensions.AI
/// generator and Semantic Kernel's <see cref="ITextEmbeddingGenerationService"/>, over one loaded model.
/// </summary>
/// <remarks>
/// <para>Registered as singletons (each once, however often this is called): everything
/// <c>services.AddEmbeddingGenerator</c> of Embeddings.Onnx registers (<see cref="Embedder"/>, <see cref="IEmbedder"/>,
/// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>), plus an
/// <see cref="EmbedderTextEmbeddingGenerationService"/> as <see cref="ITextEmbeddingGenerationService"/> over the same
/// <see cref="IEmbedder"/>. <see cref="EmbedderServiceOptions.GenerationDefaults"/> apply to both services.</para>
/// <para>The model loads on first resolution (a Hugging Face id is downloaded then) and is disposed with the container.</para>
/// </remarks>
public static class EmbeddingModelServiceCollectionExtensions
{
    /// <summary>Registers the embedding model <paramref name="model"/> and both embedding services over it.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">A model folder or a Hugging Face model id (<c>org/name</c>).</param>
    /// <param name="configure">Adjusts batching, the queue, the runtime or the download; null for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddEmbeddingModel(this IServiceCollection services, string model, Action<OnnxEmbedderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        services.AddEmbeddingGenerator(model, configure);
        return services.AddTextEmbeddingGenerationService();
    }

    /// <summary>Registers the embedding model configured by <paramref name="configure"/> and both embedding services over it.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets at least <see cref="EmbedderServiceOptions.Model"/>; may set
    /// <see cref="EmbedderServiceOptions.GenerationDefaults"/> (a prompt name, dimensions) for both services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddEmbeddingModel(this IServiceCollection services, Action<EmbedderServiceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddEmbeddingGenerator(configure);
        return services.AddTextEmbeddingGenerationService();
    }

    private static IServiceCollection AddTextEmbeddingGenerationService(this IServiceCollection services)
    {
#pragma warning disable CS0618 // ITextEmbeddingGenerationService is obsolete in Semantic Kernel, and still widely asked for.
        services.TryAddSingleton<ITextEmbeddingGenerationService>(provider => new EmbedderTextEmbeddingGenerationService(
            provider.GetRequiredService<IEmbedder>(), provider.GetRequiredService<IOptions<EmbedderServiceOptions>>().Value.GenerationDefaults));
#pragma warning restore CS0618
        return services;
    }
}
