using Embeddings;
using Embeddings.Models;
using Embeddings.Onnx;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an ONNX-backed reranker (cross-encoder) in a service collection.</summary>
/// <remarks>
/// What is registered (singletons, each once however often this is called): <see cref="Reranker"/>, the loaded model,
/// loaded on first resolution (a Hugging Face id is downloaded then) and disposed with the container, and
/// <see cref="IReranker"/>, the same instance. Resolve <see cref="IReranker"/> before serving to fail fast on a folder
/// that is not a single-label sequence classifier.
/// </remarks>
public static class RerankerServiceCollectionExtensions
{
    /// <summary>Registers a reranker for <paramref name="model"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">A cross-encoder folder or a Hugging Face model id (<c>org/name</c>).</param>
    /// <param name="configure">Adjusts batching, the queue, the runtime or the download; null for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddReranker(this IServiceCollection services, string model, Action<OnnxEmbedderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var options = new OnnxEmbedderOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(_ => HubModelDownloader.IsHubId(model)
            // Container factories are synchronous; the download runs on the thread pool (no context to deadlock on).
            ? Task.Run(() => OnnxReranker.CreateAsync(model, options)).GetAwaiter().GetResult()
            : OnnxReranker.Create(model, options));
        services.TryAddSingleton<IReranker>(provider => provider.GetRequiredService<Reranker>());
        return services;
    }
}
