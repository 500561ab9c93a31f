using System.Buffers;
using System.Diagnostics;
using Embeddings.Inference;
using Embeddings.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Embeddings.Onnx;

/// <summary>
/// Runs an ONNX transformer model with ONNX Runtime, through its official managed API (Microsoft.ML.OnnxRuntime).
/// </summary>
/// <remarks>
/// <para>
/// Inputs are found by name: <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (zeros when
/// the batch has none) and <c>position_ids</c> come from the <see cref="InferenceBatch"/>; decoder exports
/// that declare <c>past_key_values.N.key/value</c> get an empty cache, and their <c>present.*</c> outputs
/// are left out of the signature. The batch's buffers are handed to the runtime without copying, and
/// float32 outputs are read in place.
/// </para>
/// <para>
/// Threading: <see cref="Run"/> may be called from many threads at once; each call has its own input
/// values and run options, and ONNX Runtime sessions allow concurrent runs. Disposing while runs are in
/// flight is allowed: the native session is released after the last of them (and the last output) is done.
/// </para>
/// </remarks>
public sealed class OnnxInferenceBackend : IInferenceBackend
{
    /// <summary>The tag set on the current activity (the library's <c>embeddings.inference</c> span) naming the execution provider.</summary>
    public const string ExecutionProviderTag = "embeddings.execution_provider";

    private const string ArenaShrinkageKey = "memory.enable_memory_arena_shrinkage";

    private readonly SharedSession _session;
    private readonly ModelInputFeed[] _feeds;
    private readonly string[] _inputNames;
    private readonly HashSet<string> _outputs;
    private readonly string? _arenaShrinkage;
    private int _disposed;

    private OnnxInferenceBackend(string modelPath, InferenceSession session, ModelInputFeed[] feeds, (string Name, NodeMetadata Node)[] outputs,
        string? arenaShrinkage, string executionProvider, int? deviceId, string? fallbackReason, bool batchDependent)
    {
        ModelPath = modelPath;
        _session = new SharedSession(session);
        _feeds = feeds;
        _inputNames = feeds.Select(feed => feed.Name).ToArray();
        _outputs = outputs.Select(output => output.Name).ToHashSet(StringComparer.Ordinal);
        _arenaShrinkage = arenaShrinkage;
        ExecutionProvider = executionProvider;
        DeviceId = deviceId;
        FallbackReason = fallbackReason;
        var inputs = feeds.Aggregate(ModelInputs.None, (all, feed) => all | feed.Flag);
        Signature = new ModelSignature(inputs, outputs
            .Select(output => new ModelOutputInfo(output.Name, ModelSignature.Classify(output.Name, output.Node.Dimensions.Length), ModelInputFeed.Shape(output.Node)))
            .ToArray())
        {
            ModelPath = modelPath,
            BatchDependent = batchDependent,
        };
    }

    /// <inheritdoc />
    public ModelSignature Signature { get; }

    /// <summary>The full path of the model file.</summary>
    public string ModelPath { get; }

    /// <summary>The version of the ONNX Runtime library in use, e.g. "1.32.0".</summary>
    public string RuntimeVersion => OrtRuntime.Version;

    /// <summary>The execution provider the model runs on: CPUExecutionProvider or CUDAExecutionProvider.</summary>
    public string ExecutionProvider { get; }

    /// <summary>The CUDA device the model runs on, or null on the CPU.</summary>
    public int? DeviceId { get; }

    /// <summary>
    /// Why the model runs on the CPU although CUDA was asked for (<see cref="OnnxRuntimeOptions.CudaFallbackToCpu"/>),
    /// or null when it runs where it was asked to.
    /// </summary>
    public string? FallbackReason { get; }

    /// <summary>Loads a model.</summary>
    /// <param name="modelPath">The .onnx file. External data files next to it are found by ONNX Runtime.</param>
    /// <param name="options">Runtime and session settings; null for the defaults. A copy is taken.</param>
    /// <param name="dynamicallyQuantized">Whether the model computes activation scales per batch, which makes it
    /// batch-dependent (<see cref="ModelSignature.BatchDependent"/>); null decides with
    /// <see cref="OnnxModelFile.LooksDynamicallyQuantized"/>.</param>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The ONNX Runtime native library could not be found or loaded.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model (corrupt, truncated, unsupported operators…).</exception>
    /// <exception cref="ExecutionProviderUnavailableException">CUDA was asked for, cannot be used, and falling back to the CPU was not allowed.</exception>
    /// <exception cref="NotSupportedException">The model needs an input this backend cannot feed.</exception>
    public static OnnxInferenceBackend Create(string modelPath, OnnxRuntimeOptions? options = null, bool? dynamicallyQuantized = null)
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

        var (session, provider, fallbackReason) = OpenSession(fullPath, settings);
        try
        {
            var inputs = session.InputMetadata.Select(pair => (pair.Key, pair.Value)).ToArray();
            var feeds = inputs.Select(input => ModelInputFeed.For(input.Key, input.Value, fullPath)).ToArray();
            if (!feeds.Any(feed => feed.Source == ModelInputSource.InputIds))
                throw new NotSupportedException($"The model '{fullPath}' has no 'input_ids' input; inputs: {string.Join(", ", feeds.Select(f => f.ToString()))}.");
            // The key/value cache a decoder export returns is of no use here: it is fed empty and never read.
            var outputs = session.OutputMetadata
                .Where(pair => !pair.Key.StartsWith("present.", StringComparison.Ordinal))
                .Select(pair => (pair.Key, pair.Value))
                .ToArray();
            int? device = provider == OrtRuntime.CudaProvider ? settings.CudaDeviceId : null;
            // Shrinking needs an arena: ONNX Runtime fails the run when the list names a device without one.
            string? arenaShrinkage = settings.ShrinkMemoryArenaAfterRun && settings.EnableMemoryArena
                ? device is int gpu ? $"cpu:0;gpu:{gpu}" : "cpu:0"
                : null;
            bool batchDependent = dynamicallyQuantized ?? OnnxModelFile.LooksDynamicallyQuantized(fullPath);
            return new OnnxInferenceBackend(fullPath, session, feeds, outputs, arenaShrinkage, provider, device, fallbackReason, batchDependent);
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
        if (!_outputs.Contains(outputName))
            throw new ArgumentException($"The model '{ModelPath}' has no output '{outputName}'; it has {string.Join(", ", Signature.Outputs.Select(o => o.Name))}.", nameof(outputName));
        cancellationToken.ThrowIfCancellationRequested();
        Activity.Current?.SetTag(ExecutionProviderTag, ExecutionProvider);

        if (!_session.TryAcquire()) throw new ObjectDisposedException(GetType().FullName);
        bool leaseHandedOver = false;
        var values = new OrtValue[_feeds.Length];
        long[]? zeros = null;
        try
        {
            long[] shape = [batch.BatchSize, batch.SequenceLength];
            for (int i = 0; i < _feeds.Length; i++)
            {
                var feed = _feeds[i];
                values[i] = feed.Source switch
                {
                    ModelInputSource.InputIds => OverInt64(batch.InputIds, shape),
                    ModelInputSource.AttentionMask => OverInt64(batch.AttentionMask, shape),
                    ModelInputSource.TokenTypeIds => OverInt64(batch.TokenTypeIds.IsEmpty ? Zeros(ref zeros, batch) : batch.TokenTypeIds, shape),
                    ModelInputSource.PositionIds => batch.PositionIds.IsEmpty
                        ? throw new ArgumentException($"The model '{ModelPath}' takes position_ids; the batch has none.", nameof(batch))
                        : OverInt64(batch.PositionIds, shape),
                    ModelInputSource.EmptyPastKeyValue => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, feed.Node.ElementDataType, feed.EmptyPastShape(batch.BatchSize)),
                    _ => throw new InvalidOperationException($"Unknown input source {feed.Source}."),
                };
            }

            using var runOptions = new RunOptions();
            if (_arenaShrinkage is not null) runOptions.AddRunConfigEntry(ArenaShrinkageKey, _arenaShrinkage);
            // Declared after the run options, so disposed first: once it is gone no callback can touch them.
            using var registration = cancellationToken.UnsafeRegister(static state => ((RunOptions)state!).Terminate = true, runOptions);

            IDisposableReadOnlyCollection<OrtValue> results;
            try
            {
                results = _session.Session.Run(runOptions, _inputNames, values, [outputName]);
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
            {
                // The runtime's status (the terminate flag stopped it) is kept, typed like every other runtime failure.
                throw new OperationCanceledException("The inference run was cancelled.", OrtErrors.Wrap(e, $"The run of the model '{ModelPath}' was terminated"), cancellationToken);
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
            {
                // The runtime's own message names the node, not the file: a server running several models needs both.
                throw OrtErrors.Wrap(e, $"ONNX Runtime {RuntimeVersion} failed running the model '{ModelPath}'");
            }

            // The collection owns the one output; the output wrapper takes it over and ends the lease when disposed.
            var result = results.Single();
            leaseHandedOver = true;
            return OrtTensorOutput.FromValue(result, outputName, _session.Release);
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
            if (zeros is not null) ArrayPool<long>.Shared.Return(zeros);
            if (!leaseHandedOver) _session.Release();
        }
    }

    /// <summary>
    /// Closes the backend. Runs already in flight finish normally; the native session is released once
    /// they and their outputs are done. Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Close();
    }

    // A tensor over the caller's buffer, pinned until the value is disposed: no copy.
    private static OrtValue OverInt64(Memory<long> data, long[] shape) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);

    private static Memory<long> Zeros(ref long[]? rented, InferenceBatch batch)
    {
        int count = batch.BatchSize * batch.SequenceLength;
        rented = ArrayPool<long>.Shared.Rent(count);
        Array.Clear(rented, 0, count);
        return rented.AsMemory(0, count);
    }

    private static (InferenceSession Session, string Provider, string? FallbackReason) OpenSession(string fullPath, OnnxRuntimeOptions settings)
    {
        string version = OrtRuntime.Version;
        string? fallbackReason = null;
        if (settings.CudaDeviceId is int device)
        {
            try
            {
                using var cudaOptions = SessionOptionsFactory.Create(settings);
                SessionOptionsFactory.AppendCuda(cudaOptions, device);
                return (Open(fullPath, cudaOptions, version, device), OrtRuntime.CudaProvider, null);
            }
            catch (ExecutionProviderUnavailableException e) when (settings.CudaFallbackToCpu)
            {
                fallbackReason = e.Message;
            }
        }

        using var cpuOptions = SessionOptionsFactory.Create(settings);
        return (Open(fullPath, cpuOptions, version, cudaDevice: null), OrtRuntime.CpuProvider, fallbackReason);
    }

    private static InferenceSession Open(string fullPath, SessionOptions options, string version, int? cudaDevice)
    {
        try
        {
            return new InferenceSession(fullPath, options);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e) when (cudaDevice is int device && IsCudaFailure(e))
        {
            // The CUDA provider loads its libraries and picks its device when the session is created.
            throw SessionOptionsFactory.CudaUnavailable(device, SessionOptionsFactory.DescribeMissing(e.Message), e);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw OrtErrors.Wrap(e, $"ONNX Runtime {version} could not load the model '{fullPath}'");
        }
    }

    private static bool IsCudaFailure(Microsoft.ML.OnnxRuntime.OnnxRuntimeException e) =>
        e.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("cudnn", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("cublas", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("providers_cuda", StringComparison.Ordinal);
}
