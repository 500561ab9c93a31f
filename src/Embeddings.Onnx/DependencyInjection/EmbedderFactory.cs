using System.Diagnostics;
using Embeddings.Models;
using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx.DependencyInjection;

/// <summary>Loads the registered model when the container first needs it, and logs what was loaded.</summary>
internal static class EmbedderFactory
{
    /// <summary>The category of the library's log messages.</summary>
    public const string LoggerCategory = "Embeddings";

    public static Embedder Create(EmbedderServiceOptions options, ILogger logger)
    {
        string model = options.Model ?? throw new InvalidOperationException($"{nameof(EmbedderServiceOptions)}.{nameof(EmbedderServiceOptions.Model)} is not set.");
        long started = Stopwatch.GetTimestamp();
        try
        {
            Embedder embedder;
            OnnxInferenceBackend? backend = null;
            if (HubModelDownloader.IsHubId(model))
            {
                EmbedderLog.ModelDownloading(logger, model, options.Onnx.Revision);
                // Container factories are synchronous; the download runs on the thread pool (no context to deadlock on).
                embedder = Task.Run(() => OnnxEmbedder.CreateAsync(model, options.Onnx, loaded => backend = loaded, CancellationToken.None)).GetAwaiter().GetResult();
            }
            else embedder = OnnxEmbedder.Create(model, options.Onnx, loaded => backend = loaded);

            // A static model (StaticEmbedding, Model2Vec) loads without ONNX Runtime: no backend, nothing to log about one.
            if (backend is not null)
            {
                if (backend.FallbackReason is { } reason) EmbedderLog.CudaFallback(logger, model, reason);
                if (logger.IsEnabled(LogLevel.Information)) LogLoaded(logger, embedder, backend, started);
            }
            return embedder;
        }
        catch (Exception e)
        {
            EmbedderLog.ModelLoadFailed(logger, e, model);
            throw;
        }
    }

    private static void LogLoaded(ILogger logger, Embedder embedder, OnnxInferenceBackend backend, long started)
    {
        var info = embedder.Info;
        var folder = embedder.Folder;
        string provider = backend.DeviceId is int device ? $"{backend.ExecutionProvider} (device {device})" : backend.ExecutionProvider;
        EmbedderLog.ModelLoaded(logger, info.ModelId, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            backend.ModelPath, folder.TokenizerJsonPath ?? folder.VocabularyPath ?? "(none)",
            backend.RuntimeVersion, provider, info.Dimensions, info.HiddenSize, info.MaxSequenceLength,
            info.Pooling.Count == 0 ? "none" : string.Join('+', info.Pooling), info.Normalize);
    }
}
