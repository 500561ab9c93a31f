using System.Diagnostics;
using Embeddings.Models;
using Embeddings.Onnx.Native;
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
            if (HubModelDownloader.IsHubId(model))
            {
                EmbedderLog.ModelDownloading(logger, model, options.Onnx.Revision);
                // Container factories are synchronous; the download runs on the thread pool (no context to deadlock on).
                embedder = Task.Run(() => OnnxEmbedder.CreateAsync(model, options.Onnx)).GetAwaiter().GetResult();
            }
            else embedder = OnnxEmbedder.Create(model, options.Onnx);

            if (logger.IsEnabled(LogLevel.Information) && embedder.StaticModel is null) LogLoaded(logger, embedder, options.Onnx.Runtime, started);
            return embedder;
        }
        catch (Exception e)
        {
            EmbedderLog.ModelLoadFailed(logger, e, model);
            throw;
        }
    }

    private static void LogLoaded(ILogger logger, Embedder embedder, OnnxRuntimeOptions runtimeOptions, long started)
    {
        var info = embedder.Info;
        var folder = embedder.Folder;
        // The backend has loaded this library already; asking again returns that same instance.
        var runtime = OrtRuntime.Load(runtimeOptions.LibraryPath);
        EmbedderLog.ModelLoaded(logger, info.ModelId, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            folder.OnnxPath, folder.TokenizerJsonPath ?? folder.VocabularyPath ?? "(none)",
            runtime.Version, runtime.LibraryPath, info.Dimensions, info.HiddenSize, info.MaxSequenceLength,
            info.Pooling.Count == 0 ? "none" : string.Join('+', info.Pooling), info.Normalize);
    }
}
