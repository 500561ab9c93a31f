using Embeddings;
using Embeddings.Onnx;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Adds a local embedding model to a Semantic Kernel kernel builder: the kernel then resolves both
/// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> and <c>ITextEmbeddingGenerationService</c>,
/// running the model in-process.
/// </summary>
/// <example>
/// <code>
/// var kernel = Kernel.CreateBuilder()
///     .AddEmbeddingModel("sentence-transformers/all-MiniLM-L6-v2")
///     .Build();
/// var generator = kernel.GetRequiredService&lt;IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;&gt;();
/// </code>
/// </example>
/// <remarks>What is registered is described on <see cref="EmbeddingModelServiceCollectionExtensions"/>.</remarks>
public static class EmbeddingModelKernelBuilderExtensions
{
    /// <summary>Adds the embedding model <paramref name="model"/> and both embedding services over it.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="model">A model folder or a Hugging Face model id (<c>org/name</c>).</param>
    /// <param name="configure">Adjusts batching, the queue, the runtime or the download; null for the defaults.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IKernelBuilder AddEmbeddingModel(this IKernelBuilder builder, string model, Action<OnnxEmbedderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEmbeddingModel(model, configure);
        return builder;
    }

    /// <summary>Adds the embedding model configured by <paramref name="configure"/> and both embedding services over it.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets at least <see cref="EmbedderServiceOptions.Model"/>; may set
    /// <see cref="EmbedderServiceOptions.GenerationDefaults"/> (a prompt name, dimensions) for both services.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IKernelBuilder AddEmbeddingModel(this IKernelBuilder builder, Action<EmbedderServiceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEmbeddingModel(configure);
        return builder;
    }
}
