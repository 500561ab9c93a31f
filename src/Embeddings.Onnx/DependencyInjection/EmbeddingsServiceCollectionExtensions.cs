using Embeddings;
using Embeddings.AI;
using Embeddings.Onnx;
using Embeddings.Onnx.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an ONNX-backed embedder, and its Microsoft.Extensions.AI embedding generator, in a service collection.</summary>
/// <remarks>
/// <para>What is registered (all singletons, each once however often these methods are called):</para>
/// <list type="bullet">
/// <item><see cref="Embedder"/>: the loaded model (resolve it for <see cref="Embedder.Tokenizer"/> and <see cref="Embedder.Folder"/>);
/// loaded on first resolution and disposed with the container.</item>
/// <item><see cref="IEmbedder"/>: the same model, logging one debug line per call to the <c>Embeddings</c> logger category.</item>
/// <item><see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of <c>string</c> and <see cref="Embedding{T}"/> of <c>float</c>
/// (by <c>AddEmbeddingGenerator</c> only), over that <see cref="IEmbedder"/>.</item>
/// </list>
/// <para><see cref="EmbedderServiceOptions"/> go through the options pattern (configure them here, or further with
/// <c>services.Configure&lt;EmbedderServiceOptions&gt;(...)</c>) and are validated when the host starts: a missing
/// model name, or one that is neither a folder nor a Hugging Face id, stops the start with the reason. Load errors
/// (a malformed folder, a missing ONNX Runtime library) surface on first resolution, logged with the cause; an
/// application that wants them at start-up resolves <see cref="IEmbedder"/> before it starts serving.</para>
/// </remarks>
public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>Registers an embedder configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets at least <see cref="EmbedderServiceOptions.Model"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddEmbedder(this IServiceCollection services, Action<EmbedderServiceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EmbedderServiceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbedderServiceOptions>, EmbedderServiceOptionsValidator>());
        services.TryAddSingleton(provider => EmbedderFactory.Create(
            provider.GetRequiredService<IOptions<EmbedderServiceOptions>>().Value, CreateLogger(provider)));
        services.TryAddSingleton<IEmbedder>(provider => new LoggingEmbedder(provider.GetRequiredService<Embedder>(), CreateLogger(provider)));
        return services;
    }

    /// <summary>Registers an embedder for <paramref name="model"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">A model folder or a Hugging Face model id (<c>org/name</c>).</param>
    /// <param name="configure">Adjusts batching, the queue, the runtime or the download; null for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddEmbedder(this IServiceCollection services, string model, Action<OnnxEmbedderOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return services.AddEmbedder(ForModel(model, configure));
    }

    /// <summary>
    /// Registers an embedder configured by <paramref name="configure"/> and an
    /// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> over it, for Microsoft.Extensions.AI and
    /// Semantic Kernel. <see cref="EmbedderServiceOptions.GenerationDefaults"/> apply to every generation.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets at least <see cref="EmbedderServiceOptions.Model"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddEmbeddingGenerator(this IServiceCollection services, Action<EmbedderServiceOptions> configure)
    {
        services.AddEmbedder(configure);
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(provider => new EmbedderEmbeddingGenerator(
            provider.GetRequiredService<IEmbedder>(), provider.GetRequiredService<IOptions<EmbedderServiceOptions>>().Value.GenerationDefaults));
        return services;
    }

    /// <summary>Registers an embedder for <paramref name="model"/> and an embedding generator over it.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">A model folder or a Hugging Face model id (<c>org/name</c>).</param>
    /// <param name="configure">Adjusts batching, the queue, the runtime or the download; null for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddEmbeddingGenerator(this IServiceCollection services, string model, Action<OnnxEmbedderOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return services.AddEmbeddingGenerator(ForModel(model, configure));
    }

    private static Action<EmbedderServiceOptions> ForModel(string model, Action<OnnxEmbedderOptions>? configure) => options =>
    {
        options.Model = model;
        configure?.Invoke(options.Onnx);
    };

    private static ILogger CreateLogger(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger(EmbedderFactory.LoggerCategory) ?? NullLogger.Instance;
}
