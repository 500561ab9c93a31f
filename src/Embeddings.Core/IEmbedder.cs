namespace Embeddings;

/// <summary>
/// Turns texts into embeddings with one model: dense vectors (<see cref="Embed"/>), per-token vectors,
/// sparse SPLADE vectors and late-chunked vectors.
/// </summary>
/// <remarks>
/// <para>Thread safety: every member may be called from many threads at once on one instance. Calls share
/// only immutable state (tokenizer, configuration, the inference backend, which must be safe for
/// concurrent runs); each call owns its buffers.</para>
/// <para>Results are always in the caller's order and never depend on what else was embedded in the same call:
/// texts are batched by length, padded only to their batch's longest member, the model masks padding, and
/// pooling reads only real tokens. (Batch-dependent models are the exception: see
/// <see cref="EmbedderInfo.BatchDependent"/>.)</para>
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
    /// <exception cref="InputTooLongException">A text is too long and <see cref="OverlongInputPolicy.Error"/> was asked for.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EmbedOptions.Dimensions"/> is larger than the model's vectors.</exception>
    /// <exception cref="ArgumentException"><see cref="EmbedOptions.PromptName"/> is not one of the model's prompts.</exception>
    /// <exception cref="NotSupportedException">The model gives no dense vectors, or already pools them and another <see cref="EmbedOptions.Pooling"/> was asked for.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed (before or during the call).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Models.ModelConfigurationException">A token id falls outside the model's embedding table (<c>vocab_size</c>): the tokenizer does not belong to the model.</exception>
    EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Embeds <paramref name="texts"/> without blocking the calling thread.</summary>
    /// <inheritdoc cref="Embed" path="/param"/>
    /// <inheritdoc cref="Embed" path="/returns"/>
    /// <inheritdoc cref="Embed" path="/exception"/>
    /// <exception cref="EmbeddingQueueFullException">The micro-batching queue (<see cref="EmbedderOptions.Queue"/>) holds its maximum of tokens; retry later.</exception>
    Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per-token vectors (TEI's /embed_all, sentence-transformers' <c>output_value="token_embeddings"</c>): each
    /// text's tokens, their offsets into the text and the model's hidden state for each.
    /// </summary>
    /// <param name="texts">The texts; none may be null.</param>
    /// <param name="options">Per-call settings; null for the defaults (special tokens kept, no normalization).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>One entry per text, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null (the message names the index).</exception>
    /// <exception cref="InputTooLongException">A text is too long and <see cref="OverlongInputPolicy.Error"/> was asked for.</exception>
    /// <exception cref="NotSupportedException">The model gives no per-token hidden states.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed (before or during the call).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Models.ModelConfigurationException">A token id falls outside the model's embedding table (<c>vocab_size</c>): the tokenizer does not belong to the model.</exception>
    IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Per-token vectors without blocking the calling thread.</summary>
    /// <inheritdoc cref="EmbedTokens" path="/param"/>
    /// <inheritdoc cref="EmbedTokens" path="/returns"/>
    /// <inheritdoc cref="EmbedTokens" path="/exception"/>
    /// <exception cref="EmbeddingQueueFullException">The micro-batching queue (<see cref="EmbedderOptions.Queue"/>) holds its maximum of tokens; retry later.</exception>
    Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sparse lexical vectors (SPLADE; TEI's /embed_sparse): vocabulary weights w = max over tokens of
    /// log(1 + relu(logit)), from a masked-language-model head.
    /// </summary>
    /// <param name="texts">The texts; none may be null.</param>
    /// <param name="options">Per-call settings (top-k, minimum weight).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>One sparse vector per text, in input order, entries sorted by index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null (the message names the index).</exception>
    /// <exception cref="InputTooLongException">A text is too long and <see cref="OverlongInputPolicy.Error"/> was asked for.</exception>
    /// <exception cref="NotSupportedException">The model gives no logits or sparse output.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed (before or during the call).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Models.ModelConfigurationException">A token id falls outside the model's embedding table (<c>vocab_size</c>): the tokenizer does not belong to the model.</exception>
    IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sparse vectors without blocking the calling thread.</summary>
    /// <inheritdoc cref="EmbedSparse" path="/param"/>
    /// <inheritdoc cref="EmbedSparse" path="/returns"/>
    /// <inheritdoc cref="EmbedSparse" path="/exception"/>
    /// <exception cref="EmbeddingQueueFullException">The micro-batching queue (<see cref="EmbedderOptions.Queue"/>) holds its maximum of tokens; retry later.</exception>
    Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Late chunking: each document is embedded whole (in overlapping windows when it is longer than the model
    /// allows) and every chunk's vector pools the tokens inside it, so chunks carry the document's context.
    /// </summary>
    /// <param name="documents">The documents; none may be null. An empty document gives no chunks.</param>
    /// <param name="options">Chunker, normalization and window settings.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>For each document, its chunks in order.</returns>
    /// <exception cref="NotSupportedException">The model gives no per-token hidden states.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> or one of its items is null (the message names the index).</exception>
    /// <exception cref="ArgumentException">A chunk span lies outside its document (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed (before or during the call).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Models.ModelConfigurationException">A token id falls outside the model's embedding table (<c>vocab_size</c>): the tokenizer does not belong to the model.</exception>
    IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Late chunking without blocking the calling thread.</summary>
    /// <inheritdoc cref="LateChunk" path="/param"/>
    /// <inheritdoc cref="LateChunk" path="/returns"/>
    /// <inheritdoc cref="LateChunk" path="/exception"/>
    Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default);
}
