namespace Embeddings;

/// <summary>
/// Turns texts into embeddings with one model: dense vectors (<see cref="Embed"/>), per-token vectors,
/// sparse SPLADE vectors and late-chunked vectors.
/// </summary>
/// <remarks>
/// <para>Thread safety: every member may be called from many threads at once on one instance. Calls share
/// only immutable state (tokenizer, configuration, the model session, which ONNX Runtime documents as safe for
/// concurrent runs); each call owns its buffers.</para>
/// <para>Results are always in the caller's order and never depend on what else was embedded in the same call:
/// texts are batched by length, padded only to their batch's longest member, the model masks padding, and
/// pooling reads only real tokens. (Dynamically quantized models are the exception: see
/// <see cref="EmbedderInfo.DynamicallyQuantized"/>.)</para>
/// <para>Disposing releases the model; calls already running finish or end with
/// <see cref="ObjectDisposedException"/>, and later calls throw it.</para>
/// </remarks>
public interface IEmbedder : IDisposable
{
    /// <summary>What the model is and what it produces.</summary>
    EmbedderInfo Info { get; }

    /// <summary>Embeds <paramref name="texts"/> into one vector each.</summary>
    /// <param name="texts">The texts; none may be null. An empty list gives an empty result.</param>
    /// <param name="options">Per-call settings; null follows the model folder.</param>
    /// <param name="cancellationToken">Stops the call between batches and inside a running batch.</param>
    /// <returns>One vector per text, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null (the message names the index).</exception>
    /// <exception cref="InputTooLongException">A text is too long and <see cref="TruncationPolicy.Error"/> was asked for.</exception>
    EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Embeds <paramref name="texts"/> without blocking the calling thread.</summary>
    /// <inheritdoc cref="Embed" path="/param"/>
    /// <inheritdoc cref="Embed" path="/returns"/>
    Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default);
}
