using Embeddings.InputEncoding;
using Embeddings.Batching;
using Embeddings.Diagnostics;
using Embeddings.Inference;
using Embeddings.Models;
using Embeddings.Pipelines;
using Embeddings.Static;
using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// The <see cref="IEmbedder"/> over a tokenizer, an inference backend and a model folder's configuration.
/// The runtime packages create these from a model folder or Hugging Face id; use <see cref="Create"/>
/// directly to plug in another backend.
/// </summary>
/// <remarks>
/// Thread-safe: see <see cref="IEmbedder"/>. The synchronous methods run on the calling thread. The asynchronous
/// ones run on the thread pool, or, when <see cref="EmbedderOptions.Queue"/> is set, through the micro-batching
/// queue, where concurrent requests share batches (late chunking always runs on its own).
/// A static embedding model (<see cref="CreateStatic(StaticEmbeddingModel, EmbedderOptions?)"/>) needs no backend: Embed averages
/// its token rows on the calling thread (spread over the cores for large calls), and the per-token operations throw
/// <see cref="NotSupportedByModelException"/>.
/// </remarks>
public sealed class Embedder : IEmbedder, IMultiVectorEmbedder
{
    private readonly EmbedderCore _core;
    private readonly bool _ownsBackend;
    private readonly DenseEmbeddingPipeline _dense;
    private readonly TokenEmbeddingPipeline _tokens;
    private readonly SparseEmbeddingPipeline _sparse;
    private readonly LateChunkPipeline _chunks;
    private readonly MultiVectorEmbeddingPipeline _multiVector;
    private readonly MicroBatchQueue? _queue;
    private readonly StaticEmbeddingModel? _staticModel;
    private readonly StaticEmbeddingPipeline? _static;
    private int _disposed;

    private Embedder(EmbedderCore core, bool ownsBackend)
    {
        _core = core;
        _ownsBackend = ownsBackend;
        _dense = new DenseEmbeddingPipeline(core);
        _tokens = new TokenEmbeddingPipeline(core);
        _sparse = new SparseEmbeddingPipeline(core);
        _chunks = new LateChunkPipeline(core);
        _multiVector = new MultiVectorEmbeddingPipeline(core);
        if (core.Options.Queue is { } queue)
            _queue = new MicroBatchQueue(core.Runner, queue, core.Options.MaxBatchTokens);
    }

    // A static model: no transformer core, no backend; the pipelines above stay unset and every call dispatches first.
    private Embedder(StaticEmbeddingModel model, EmbedderOptions options)
    {
        _staticModel = model;
        _static = new StaticEmbeddingPipeline(model, options);
        _core = null!;
        _dense = null!;
        _tokens = null!;
        _sparse = null!;
        _chunks = null!;
        _multiVector = null!;
    }

    /// <summary>
    /// Creates an embedder over a static embedding model (sentence-transformers StaticEmbedding, Model2Vec): no
    /// inference backend is involved. <see cref="Folder"/> is not available on such an embedder; see <see cref="StaticModel"/>.
    /// </summary>
    /// <param name="model">The loaded model (<see cref="StaticEmbeddingModel.Load"/>).</param>
    /// <param name="options">Naming; batching and queue settings do not apply to static models. Null for the defaults.</param>
    public static Embedder CreateStatic(StaticEmbeddingModel model, EmbedderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Embedder(model, options?.Clone() ?? new EmbedderOptions());
    }

    /// <summary>The static embedding model behind this embedder, or null for a transformer model.</summary>
    public StaticEmbeddingModel? StaticModel => _staticModel;

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
    public EmbedderInfo Info => _static?.Info ?? _core.Info;

    /// <summary>The model's tokenizer.</summary>
    public Tokenizer Tokenizer => _staticModel?.Tokenizer ?? _core.Tokenizer;

    /// <summary>The model folder's configuration.</summary>
    /// <exception cref="InvalidOperationException">The embedder runs a static embedding model, which has no transformer folder (see <see cref="StaticModel"/>).</exception>
    public ModelFolder Folder => _staticModel is null ? _core.Folder
        : throw new InvalidOperationException($"The model {Info.ModelId} is a static embedding model; it has no transformer folder (see StaticModel).");

    /// <summary>
    /// Tokens of the asynchronous requests waiting or running in the micro-batching queue at this moment (0 without
    /// a queue): what <see cref="EmbeddingQueueOptions.MaxQueuedTokens"/> bounds. For monitoring a server's load.
    /// </summary>
    public long QueuedTokens => _queue?.QueuedTokens ?? 0;

    /// <inheritdoc/>
    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        options ??= new EmbedOptions();
        if (_static is { } staticModel) return Observe("embed", texts.Count, _ => staticModel.Embed(texts, options, cancellationToken));
        return Observe("embed", texts.Count, observation => InputSlices.Run(texts, options, cancellationToken,
            (slice, sliceOptions) => RunAlone(observation.Track(_dense.Prepare(slice, sliceOptions, cancellationToken)), cancellationToken),
            EmbeddingResult.Concat));
    }

    /// <inheritdoc/>
    public Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        if (_queue is null || _static is not null) return Task.Run(() => Embed(texts, options, cancellationToken), cancellationToken);
        return RunAsync("embed", texts.Count, () => _dense.Prepare(texts, options ?? new EmbedOptions(), cancellationToken), queued: true, cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        ThrowIfStatic(nameof(EmbedTokens));
        return Observe("tokens", texts.Count, observation =>
            RunAlone(observation.Track(_tokens.Prepare(texts, options ?? new TokenEmbeddingOptions(), cancellationToken)), cancellationToken));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<TokenEmbeddings>> EmbedTokensAsync(IReadOnlyList<string> texts, TokenEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        ThrowIfStatic(nameof(EmbedTokensAsync));
        return RunAsync("tokens", texts.Count, () => _tokens.Prepare(texts, options ?? new TokenEmbeddingOptions(), cancellationToken), queued: true, cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<SparseEmbedding> EmbedSparse(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        ThrowIfStatic(nameof(EmbedSparse));
        options ??= new SparseEmbeddingOptions();
        return Observe("sparse", texts.Count, observation => InputSlices.Run(texts, options, cancellationToken,
            (slice, sliceOptions) => RunAlone(observation.Track(_sparse.Prepare(slice, sliceOptions, cancellationToken)), cancellationToken),
            parts => parts.SelectMany(p => p).ToArray()));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SparseEmbedding>> EmbedSparseAsync(IReadOnlyList<string> texts, SparseEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        ThrowIfStatic(nameof(EmbedSparseAsync));
        if (_queue is null) return Task.Run(() => EmbedSparse(texts, options, cancellationToken), cancellationToken);
        return RunAsync("sparse", texts.Count, () => _sparse.Prepare(texts, options ?? new SparseEmbeddingOptions(), cancellationToken), queued: true, cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<IReadOnlyList<DocumentChunk>> LateChunk(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(documents, nameof(documents));
        ThrowIfStatic(nameof(LateChunk));
        return Observe("chunk", documents.Count, observation =>
            RunAlone(observation.Track(_chunks.Prepare(documents, options ?? new LateChunkOptions(), cancellationToken)), cancellationToken));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<IReadOnlyList<DocumentChunk>>> LateChunkAsync(IReadOnlyList<string> documents, LateChunkOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(documents, nameof(documents));
        ThrowIfStatic(nameof(LateChunkAsync));
        // Chunk sums accumulate across windows, so a chunking call never shares a round with others.
        return RunAsync("chunk", documents.Count, () => _chunks.Prepare(documents, options ?? new LateChunkOptions(), cancellationToken), queued: false, cancellationToken);
    }

    /// <inheritdoc/>
    public bool SupportsMultiVector => _static is null && _multiVector.Supported;

    /// <inheritdoc/>
    public int MultiVectorDimensions => _static is null ? _multiVector.Dimensions : 0;

    /// <inheritdoc/>
    public IReadOnlyList<MultiVectorEmbedding> EmbedMultiVector(IReadOnlyList<string> texts, MultiVectorRole role, MultiVectorOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        ThrowIfStatic("EmbedMultiVector");
        return Observe("multivector", texts.Count, observation =>
            RunAlone(observation.Track(_multiVector.Prepare(texts, role, options ?? new MultiVectorOptions(), cancellationToken)), cancellationToken));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MultiVectorEmbedding>> EmbedMultiVectorAsync(IReadOnlyList<string> texts, MultiVectorRole role, MultiVectorOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Check(texts, nameof(texts));
        ThrowIfStatic("EmbedMultiVectorAsync");
        // Query expansion without attention feeds positions with mask 0, which a shared batch cannot express.
        return RunAsync("multivector", texts.Count, () => _multiVector.Prepare(texts, role, options ?? new MultiVectorOptions(), cancellationToken),
            queued: !_multiVector.RunsAlone(role), cancellationToken);
    }

    /// <summary>Stops the queue and releases the backend (when owned). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue?.Dispose();
        if (_ownsBackend && _static is null) _core.Backend.Dispose();
    }

    private TResult RunAlone<TResult>(PreparedCall<TResult> call, CancellationToken cancellationToken)
    {
        call.RunAlone(_core.Runner, cancellationToken);
        return call.Finish();
    }

    private async Task<TResult> RunAsync<TResult>(string operation, int count, Func<PreparedCall<TResult>> prepare, bool queued,
        CancellationToken cancellationToken)
    {
        using var observation = CallObservation.Start(operation, count);
        try
        {
            // Tokenizing happens on the thread pool too, so the caller's thread is never held.
            var call = observation.Track(await Task.Run(prepare, cancellationToken).ConfigureAwait(false));
            var result = queued && _queue is not null
                ? await _queue.EnqueueAsync(call, cancellationToken).ConfigureAwait(false)
                : await Task.Run(() => RunAlone(call, cancellationToken), cancellationToken).ConfigureAwait(false);
            observation.Complete();
            return result;
        }
        catch (Exception e)
        {
            observation.Fail(e);
            throw;
        }
    }

    // One embeddings.embed activity and one request record per call (see EmbeddingsTelemetry).
    private static TResult Observe<TResult>(string operation, int count, Func<CallObservation, TResult> run)
    {
        using var observation = CallObservation.Start(operation, count);
        try
        {
            var result = run(observation);
            observation.Complete();
            return result;
        }
        catch (Exception e)
        {
            observation.Fail(e);
            throw;
        }
    }

    private void ThrowIfStatic(string operation)
    {
        if (_static is not null)
            throw new NotSupportedByModelException(operation, Info.ModelId,
                "a static embedding model has no per-token hidden states or vocabulary logits; it gives one dense vector per text (Embed).");
    }

    private void Check(IReadOnlyList<string> texts, string parameterName)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(texts, parameterName);
        for (int i = 0; i < texts.Count; i++)
            if (texts[i] is null) throw new ArgumentNullException(parameterName, $"Item {i} is null.");
    }
}
