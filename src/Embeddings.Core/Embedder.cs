using System.Diagnostics;
using Embeddings.Diagnostics;
using Embeddings.Inference;
using Embeddings.Models;
using Embeddings.Pipelines;
using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// The <see cref="IEmbedder"/> over a tokenizer, an inference backend and a model folder's configuration.
/// The ONNX Runtime package creates these from a model folder or Hugging Face id; use <see cref="Create"/>
/// directly to plug in another backend.
/// </summary>
/// <remarks>Thread-safe: see <see cref="IEmbedder"/>.</remarks>
public sealed class Embedder : IEmbedder
{
    private readonly EmbedderCore _core;
    private readonly bool _ownsBackend;
    private readonly DenseEmbeddingPipeline _dense;
    private readonly TokenEmbeddingPipeline _tokens;
    private readonly SparseEmbeddingPipeline _sparse;
    private readonly LateChunkPipeline _chunks;
    private int _disposed;

    private Embedder(EmbedderCore core, bool ownsBackend)
    {
        _core = core;
        _ownsBackend = ownsBackend;
        _dense = new DenseEmbeddingPipeline(core);
        _tokens = new TokenEmbeddingPipeline(core);
        _sparse = new SparseEmbeddingPipeline(core);
        _chunks = new LateChunkPipeline(core);
    }

    /// <summary>Creates an embedder from its parts.</summary>
    /// <param name="folder">The model folder's configuration.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="backend">Runs the model; disposed with the embedder when <paramref name="ownsBackend"/>.</param>
    /// <param name="options">Creation settings; null for the defaults.</param>
    /// <param name="ownsBackend">Dispose <paramref name="backend"/> when the embedder is disposed.</param>
    /// <exception cref="ModelConfigurationException">The parts do not fit together.</exception>
    public static Embedder Create(ModelFolder folder, Tokenizer tokenizer, IInferenceBackend backend, EmbedderOptions? options = null, bool ownsBackend = true)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(backend);
        return new Embedder(new EmbedderCore(folder, tokenizer, backend, options?.Clone() ?? new EmbedderOptions()), ownsBackend);
    }

    /// <inheritdoc/>
    public EmbedderInfo Info => _core.Info;

    /// <summary>The model's tokenizer.</summary>
    public Tokenizer Tokenizer => _core.Tokenizer;

    /// <summary>The model folder's configuration.</summary>
    public ModelFolder Folder => _core.Folder;

    /// <inheritdoc/>
    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(texts, nameof(texts));
        return Observe("embed", texts.Count, () => _dense.Run(texts, options ?? new EmbedOptions(), cancellationToken), result => result.TotalTokens);
    }

    /// <inheritdoc/>
    public Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(texts, nameof(texts));
        return Task.Run(() => Embed(texts, options, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(texts, nameof(texts));
        options ??= new TokenEmbeddingOptions();
        // Special tokens left out of the result were still fed to the model.
        int dropped = options.IncludeSpecialTokens ? 0 : _core.Tokenizer.NumSpecialTokensToAdd(isPair: false);
        return Observe("tokens", texts.Count, () => _tokens.Run(texts, options, cancellationToken),
            result => result.Sum(t => (long)t.Count + dropped));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(texts, nameof(texts));
        return Task.Run(() => EmbedTokens(texts, options, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(texts, nameof(texts));
        return Observe("sparse", texts.Count, () => _sparse.Run(texts, options ?? new SparseEmbeddingOptions(), cancellationToken), tokens: null);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(texts, nameof(texts));
        return Task.Run(() => EmbedSparse(texts, options, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(documents, nameof(documents));
        return Observe("chunk", documents.Count, () => _chunks.Run(documents, options ?? new LateChunkOptions(), cancellationToken), tokens: null);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckTexts(documents, nameof(documents));
        return Task.Run(() => LateChunk(documents, options, cancellationToken), cancellationToken);
    }

    /// <summary>Releases the backend (when owned). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_ownsBackend) _core.Backend.Dispose();
    }

    // One embeddings.embed activity and one request record per call; the token count is recorded when the
    // result knows it (sparse and late-chunk results do not carry the number of tokens fed to the model).
    private static T Observe<T>(string operation, int count, Func<T> run, Func<T, long>? tokens)
    {
        using var activity = EmbeddingsTelemetry.ActivitySource.StartActivity("embeddings.embed");
        activity?.SetTag(EmbeddingsTelemetry.OperationTag, operation);
        activity?.SetTag("embeddings.texts", count);
        try
        {
            var result = run();
            EmbeddingsTelemetry.RecordRequest(operation, count, tokens?.Invoke(result));
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static void CheckTexts(IReadOnlyList<string> texts, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(texts, parameterName);
        for (int i = 0; i < texts.Count; i++)
            if (texts[i] is null) throw new ArgumentNullException(parameterName, $"Item {i} is null.");
    }
}
