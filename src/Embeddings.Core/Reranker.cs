using Embeddings.Batching;
using Embeddings.Diagnostics;
using Embeddings.Inference;
using Embeddings.Models;
using Embeddings.Pipelines;
using Embeddings.Reranking;
using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// The <see cref="IReranker"/> over a tokenizer, an inference backend running a sequence-classification model
/// (a model with a <c>logits</c> output of one label) and its folder's configuration. The runtime packages
/// create these from a model folder or Hugging Face id; use <see cref="Create"/> directly to plug in another backend.
/// </summary>
/// <remarks>
/// Thread-safe: see <see cref="IReranker"/>. The synchronous method runs on the calling thread. The asynchronous one
/// runs on the thread pool, or, when <see cref="EmbedderOptions.Queue"/> is set, through the micro-batching queue,
/// where concurrent requests share batches.
/// </remarks>
public sealed class Reranker : IReranker
{
    private readonly IInferenceBackend _backend;
    private readonly bool _ownsBackend;
    private readonly EmbedderOptions _options;
    private readonly PairEncoder _encoder;
    private readonly BatchRunner _runner;
    private readonly string _outputName;
    private readonly MicroBatchQueue? _queue;
    private int _disposed;

    private Reranker(ModelFolder folder, Tokenizer tokenizer, IInferenceBackend backend, EmbedderOptions options, bool ownsBackend)
    {
        _backend = backend;
        _ownsBackend = ownsBackend;
        _options = options;
        Folder = folder;
        Tokenizer = tokenizer;
        var signature = backend.Signature;
        string modelPath = signature.ModelPath ?? folder.Directory; // errors name the model file when the backend knows it
        if (!signature.Has(ModelInputs.InputIds))
            throw new ModelConfigurationException("The model has no input_ids input; it is not a text transformer this library can run.", modelPath);
        var output = FindLogits(signature)
            ?? throw new ModelConfigurationException(
                $"The model has no [batch, labels] logits output (its outputs: {string.Join(", ", signature.Outputs.Select(o => o.Name))}); "
                + "a reranker needs a sequence-classification export (a model exported for the text-classification task).", modelPath);
        string configPath = Path.Combine(folder.Directory, "config.json");
        int labels = output.Width ?? CrossEncoderConfig.ReadLabelCount(configPath) ?? 1;
        if (labels != 1)
            throw new ModelConfigurationException(
                $"The model has {labels} labels; reranking needs a single relevance logit (a model with num_labels = 1).", modelPath);
        _outputName = output.Name;

        _runner = BatchRunner.ForModel(backend, folder, tokenizer, options.BatchIndependentResults);
        _encoder = new PairEncoder(tokenizer, folder.MaxSequenceLength, folder.TokenizerSettings.TruncationSide ?? SequenceSide.Right);
        Info = new RerankerInfo
        {
            ModelId = options.ModelId ?? Path.GetFileName(folder.Directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)),
            MaxSequenceLength = folder.MaxSequenceLength,
            Activation = CrossEncoderConfig.ReadActivation(configPath, labels),
            BatchDependent = signature.BatchDependent,
        };
        if (options.Queue is { } queue)
            _queue = new MicroBatchQueue(_runner, queue, options.MaxBatchTokens);
    }

    /// <summary>Creates a reranker from its parts.</summary>
    /// <param name="folder">The model folder's configuration (its config.json decides the activation).</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="backend">Runs the model; disposed with the reranker when <paramref name="ownsBackend"/>.</param>
    /// <param name="options">Batching, queue and naming; null for the defaults.</param>
    /// <param name="ownsBackend">Dispose <paramref name="backend"/> when the reranker is disposed.</param>
    /// <exception cref="ModelConfigurationException">The model has no single-label logits output, or its config names an unsupported activation.</exception>
    public static Reranker Create(ModelFolder folder, Tokenizer tokenizer, IInferenceBackend backend, EmbedderOptions? options = null, bool ownsBackend = true)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(backend);
        return new Reranker(folder, tokenizer, backend, options?.Clone() ?? new EmbedderOptions(), ownsBackend);
    }

    /// <summary>
    /// True when <paramref name="signature"/> looks like a sequence-classification model: a rank-2 <c>logits</c> output
    /// and no per-token or pooled embeddings. Lets an application decide whether a folder is a reranker.
    /// </summary>
    /// <param name="signature">The model's inputs and outputs.</param>
    public static bool IsSequenceClassifier(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return FindLogits(signature) is not null
            && signature.Find(ModelOutputKind.TokenEmbeddings) is null && signature.Find(ModelOutputKind.SentenceEmbedding) is null;
    }

    /// <inheritdoc/>
    public RerankerInfo Info { get; }

    /// <summary>The model's tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The model folder's configuration.</summary>
    public ModelFolder Folder { get; }

    /// <inheritdoc/>
    public IReadOnlyList<RerankResult> Rerank(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(query, documents);
        using var observation = CallObservation.Start("rerank", documents.Count);
        try
        {
            var call = observation.Track(Prepare(query, documents, options ?? new RerankOptions(), cancellationToken));
            call.RunAlone(_runner, cancellationToken);
            var result = call.Finish();
            observation.Complete();
            return result;
        }
        catch (Exception e)
        {
            observation.Fail(e);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Check(query, documents);
        options ??= new RerankOptions();
        if (_queue is null) return await Task.Run(() => Rerank(query, documents, options, cancellationToken), cancellationToken).ConfigureAwait(false);
        using var observation = CallObservation.Start("rerank", documents.Count);
        try
        {
            // Tokenizing happens on the thread pool too, so the caller's thread is never held.
            var call = observation.Track(await Task.Run(() => Prepare(query, documents, options, cancellationToken), cancellationToken).ConfigureAwait(false));
            var result = await _queue.EnqueueAsync(call, cancellationToken).ConfigureAwait(false);
            observation.Complete();
            return result;
        }
        catch (Exception e)
        {
            observation.Fail(e);
            throw;
        }
    }

    /// <summary>Stops the queue and releases the backend (when owned). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue?.Dispose();
        if (_ownsBackend) _backend.Dispose();
    }

    private RerankCall Prepare(string query, IReadOnlyList<string> documents, RerankOptions options, CancellationToken cancellationToken)
    {
        var (ids, typeIds) = _encoder.Encode(query, documents, options.Truncation, options.TruncationSide, cancellationToken);
        return new RerankCall(ids, typeIds, _outputName, options.RawScores ? null : Info.Activation, options.TopK)
        {
            Limits = BatchLimits.Resolve(options, _options),
        };
    }

    private static ModelOutputInfo? FindLogits(ModelSignature signature) =>
        signature.Outputs.FirstOrDefault(o => o.Name == "logits" && o.Shape.Count == 2)
        ?? (signature.Outputs.Count == 1 && signature.Outputs[0].Shape.Count == 2 && signature.Outputs[0].Kind == ModelOutputKind.Other
            ? signature.Outputs[0] : null);

    private void Check(string query, IReadOnlyList<string> documents)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        for (int i = 0; i < documents.Count; i++)
            if (documents[i] is null) throw new ArgumentNullException(nameof(documents), $"Item {i} is null.");
    }
}
