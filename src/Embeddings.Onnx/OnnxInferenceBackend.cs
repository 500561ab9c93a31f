using System.Buffers;
using Embeddings.Inference;
using Embeddings.Onnx.Native;

namespace Embeddings.Onnx;

/// <summary>
/// Runs an ONNX transformer model with ONNX Runtime, through a direct binding to its C API.
/// </summary>
/// <remarks>
/// <para>
/// Inputs are found by name: <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (zeros when
/// the batch has none) and <c>position_ids</c> come from the <see cref="InferenceBatch"/>; decoder exports
/// that declare <c>past_key_values.N.key/value</c> get an empty cache, and their <c>present.*</c> outputs
/// are left out of the signature. The batch's buffers are handed to the runtime without copying.
/// </para>
/// <para>
/// Threading: <see cref="Run"/> may be called from many threads at once; each call has its own input
/// values and run options, and ONNX Runtime sessions allow concurrent runs. Disposing while runs are in
/// flight is allowed: the native session is released after the last of them (and the last output) is done.
/// </para>
/// </remarks>
public sealed class OnnxInferenceBackend : IInferenceBackend
{
    private const string ArenaShrinkageKey = "memory.enable_memory_arena_shrinkage";

    private readonly OrtSession _session;
    private readonly ModelInputFeed[] _feeds;
    private readonly Dictionary<string, OrtNodeInfo> _outputs;
    private readonly string? _arenaShrinkage;
    private int _disposed;

    private OnnxInferenceBackend(string modelPath, OrtSession session, ModelInputFeed[] feeds, OrtNodeInfo[] outputs, string? arenaShrinkage)
    {
        ModelPath = modelPath;
        _session = session;
        _feeds = feeds;
        _outputs = outputs.ToDictionary(output => output.Name, StringComparer.Ordinal);
        _arenaShrinkage = arenaShrinkage;
        var inputs = feeds.Aggregate(ModelInputs.None, (all, feed) => all | feed.Flag);
        Signature = new ModelSignature(inputs, outputs
            .Select(output => new ModelOutputInfo(output.Name, ModelSignature.Classify(output.Name, output.Shape.Count), output.Shape.ToArray()))
            .ToArray());
    }

    /// <inheritdoc />
    public ModelSignature Signature { get; }

    /// <summary>The full path of the model file.</summary>
    public string ModelPath { get; }

    /// <summary>The version of the ONNX Runtime library in use, e.g. "1.30.0".</summary>
    public string RuntimeVersion => _session.Runtime.Version;

    /// <summary>Where the ONNX Runtime library in use was loaded from (a bare name when the system loader found it).</summary>
    public string RuntimeLibraryPath => _session.Runtime.LibraryPath;

    /// <summary>Loads a model.</summary>
    /// <param name="modelPath">The .onnx file. External data files next to it are found by ONNX Runtime.</param>
    /// <param name="options">Runtime and session settings; null for the defaults. A copy is taken.</param>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library could not be found or loaded.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model (corrupt, truncated, unsupported operators…).</exception>
    /// <exception cref="NotSupportedException">The model needs an input this backend cannot feed, or CUDA was asked for and is not available.</exception>
    public static OnnxInferenceBackend Create(string modelPath, OnnxRuntimeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var settings = options?.Clone() ?? new OnnxRuntimeOptions();
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException(Directory.Exists(fullPath)
                ? $"'{fullPath}' is a folder; the ONNX backend needs the path of the .onnx file."
                : $"The model file '{fullPath}' does not exist.", fullPath);
        }

        var runtime = OrtRuntime.Load(settings.LibraryPath);
        OrtSession session;
        using (var sessionOptions = OrtSessionOptionsFactory.Create(runtime, settings))
        {
            try
            {
                session = OrtSession.Open(runtime, fullPath, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new OnnxRuntimeException(e.ErrorCode, $"ONNX Runtime {runtime.Version} could not load the model '{fullPath}': {e.Message}", e);
            }
        }

        try
        {
            var feeds = session.Inputs.Select(input => ModelInputFeed.For(input, fullPath)).ToArray();
            if (!feeds.Any(feed => feed.Source == ModelInputSource.InputIds))
                throw new NotSupportedException($"The model '{fullPath}' has no 'input_ids' input; inputs: {string.Join(", ", session.Inputs)}.");
            // The key/value cache a decoder export returns is of no use here: it is fed empty and never read.
            var outputs = session.Outputs.Where(output => !output.Name.StartsWith("present.", StringComparison.Ordinal)).ToArray();
            // Shrinking needs an arena: ONNX Runtime fails the run when the list names a device without one.
            string? arenaShrinkage = settings.ShrinkMemoryArenaAfterRun && settings.EnableMemoryArena
                ? settings.CudaDeviceId is int device ? $"cpu:0;gpu:{device}" : "cpu:0"
                : null;
            return new OnnxInferenceBackend(fullPath, session, feeds, outputs, arenaShrinkage);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The model has no output <paramref name="outputName"/>, or declares <c>position_ids</c> and the batch has none.</exception>
    /// <exception cref="ObjectDisposedException">The backend was disposed.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed the run (the message names the model file and the runtime's reason).</exception>
    /// <exception cref="NotSupportedException">The output is not a float tensor.</exception>
    public InferenceOutput Run(InferenceBatch batch, string outputName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outputName);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_outputs.TryGetValue(outputName, out var output))
            throw new ArgumentException($"The model '{ModelPath}' has no output '{outputName}'; it has {string.Join(", ", Signature.Outputs.Select(o => o.Name))}.", nameof(outputName));
        cancellationToken.ThrowIfCancellationRequested();

        var runtime = _session.Runtime;
        var values = new OrtValueHandle[_feeds.Length];
        long[]? zeros = null;
        try
        {
            ReadOnlySpan<long> shape = [batch.BatchSize, batch.SequenceLength];
            for (int i = 0; i < _feeds.Length; i++)
            {
                var feed = _feeds[i];
                values[i] = feed.Source switch
                {
                    ModelInputSource.InputIds => OrtTensor.OverInt64(runtime, batch.InputIds, shape),
                    ModelInputSource.AttentionMask => OrtTensor.OverInt64(runtime, batch.AttentionMask, shape),
                    ModelInputSource.TokenTypeIds => OrtTensor.OverInt64(runtime, batch.TokenTypeIds.IsEmpty ? Zeros(ref zeros, batch) : batch.TokenTypeIds, shape),
                    ModelInputSource.PositionIds => batch.PositionIds.IsEmpty
                        ? throw new ArgumentException($"The model '{ModelPath}' takes position_ids; the batch has none.", nameof(batch))
                        : OrtTensor.OverInt64(runtime, batch.PositionIds, shape),
                    ModelInputSource.EmptyPastKeyValue => OrtTensor.Empty(runtime, feed.Node.ElementType, feed.EmptyPastShape(batch.BatchSize)),
                    _ => throw new InvalidOperationException($"Unknown input source {feed.Source}."),
                };
            }

            using var runOptions = OrtRunOptionsHandle.Create(runtime.Api);
            if (_arenaShrinkage is not null) runOptions.AddConfigEntry(ArenaShrinkageKey, _arenaShrinkage);
            // Declared after the run options, so disposed first: once it is gone no callback can touch them.
            using var registration = cancellationToken.UnsafeRegister(static state => ((OrtRunOptionsHandle)state!).Terminate(), runOptions);

            OrtValueHandle result;
            try
            {
                result = _session.Run(values, output, runOptions);
            }
            catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The inference run was cancelled.", e, cancellationToken);
            }
            catch (OnnxRuntimeException e)
            {
                // The runtime's own message names the node, not the file: a server running several models needs both.
                throw new OnnxRuntimeException(e.ErrorCode, $"ONNX Runtime {runtime.Version} failed running the model '{ModelPath}': {e.Message}", e);
            }
            catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(GetType().FullName);
            }
            return OrtTensorOutput.FromValue(runtime.Api, result, outputName);
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
            if (zeros is not null) ArrayPool<long>.Shared.Return(zeros);
        }
    }

    /// <summary>
    /// Closes the backend. Runs already in flight finish normally; the native session is released once
    /// they and their outputs are done. Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Dispose();
    }

    private static Memory<long> Zeros(ref long[]? rented, InferenceBatch batch)
    {
        int count = batch.BatchSize * batch.SequenceLength;
        rented = ArrayPool<long>.Shared.Rent(count);
        Array.Clear(rented, 0, count);
        return rented.AsMemory(0, count);
    }
}
