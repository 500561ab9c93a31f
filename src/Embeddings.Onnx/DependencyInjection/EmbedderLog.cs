using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx.DependencyInjection;

/// <summary>
/// The library's log messages. They name files, versions, counts and timings, never the texts, tokens or
/// access tokens.
/// </summary>
internal static partial class EmbedderLog
{
    [LoggerMessage(EventId = 1, EventName = "ModelDownloading", Level = LogLevel.Information,
        Message = "Fetching model {ModelId} at revision {Revision} from the Hugging Face Hub (or its local cache).")]
    public static partial void ModelDownloading(ILogger logger, string modelId, string revision);

    [LoggerMessage(EventId = 2, EventName = "ModelLoaded", Level = LogLevel.Information,
        Message = "Loaded model {ModelId} in {ElapsedMilliseconds:F0} ms: ONNX file {OnnxPath}, tokenizer {TokenizerPath}; " +
            "ONNX Runtime {RuntimeVersion} on {ExecutionProvider}; {Dimensions} dimensions (hidden size {HiddenSize}), " +
            "at most {MaxSequenceLength} tokens, pooling {Pooling}, normalize {Normalize}.")]
    public static partial void ModelLoaded(ILogger logger, string modelId, double elapsedMilliseconds, string onnxPath, string tokenizerPath,
        string runtimeVersion, string executionProvider, int dimensions, int hiddenSize, int maxSequenceLength, string pooling, bool normalize);

    [LoggerMessage(EventId = 4, EventName = "CudaFallback", Level = LogLevel.Warning,
        Message = "Model {ModelId} runs on the CPU: CUDA was asked for and cannot be used, and falling back to the CPU was allowed. {Reason}")]
    public static partial void CudaFallback(ILogger logger, string modelId, string reason);

    [LoggerMessage(EventId = 3, EventName = "ModelLoadFailed", Level = LogLevel.Error,
        Message = "Could not load model {Model}.")]
    public static partial void ModelLoadFailed(ILogger logger, Exception exception, string model);

    [LoggerMessage(EventId = 10, EventName = "CallCompleted", Level = LogLevel.Debug,
        Message = "{Operation}: {Count} inputs, {Tokens} tokens, {ElapsedMilliseconds:F2} ms.")]
    public static partial void CallCompleted(ILogger logger, string operation, int count, long tokens, double elapsedMilliseconds);

    [LoggerMessage(EventId = 12, EventName = "CallCompletedUncounted", Level = LogLevel.Debug,
        Message = "{Operation}: {Count} inputs, {ElapsedMilliseconds:F2} ms.")]
    public static partial void CallCompletedUncounted(ILogger logger, string operation, int count, double elapsedMilliseconds);

    [LoggerMessage(EventId = 11, EventName = "CallFailed", Level = LogLevel.Debug,
        Message = "{Operation}: {Count} inputs failed after {ElapsedMilliseconds:F2} ms with {ExceptionType}.")]
    public static partial void CallFailed(ILogger logger, string operation, int count, double elapsedMilliseconds, string exceptionType);
}
