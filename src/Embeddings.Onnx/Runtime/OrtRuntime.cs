using Microsoft.ML.OnnxRuntime;

namespace Embeddings.Onnx.Runtime;

/// <summary>The process's ONNX Runtime: loaded once by the managed API, from the native package the application references.</summary>
internal static class OrtRuntime
{
    /// <summary>The name ONNX Runtime gives its CPU execution provider.</summary>
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>The name ONNX Runtime gives its CUDA execution provider.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>The environment, loading the native library on first use.</summary>
    /// <exception cref="OnnxRuntimeNotFoundException">The native library is not there or cannot be loaded.</exception>
    public static OrtEnv Environment
    {
        get
        {
            try
            {
                // Every failure reaches the caller as an exception, so ONNX Runtime's own log lines on stderr would only
                // repeat it inside the embedding application. If the application created the environment first, its settings stand.
                if (!OrtEnv.IsCreated)
                {
                    var creation = new EnvironmentCreationOptions { logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, logId = "Embeddings" };
                    return OrtEnv.CreateInstanceWithOptions(ref creation);
                }
                return OrtEnv.Instance();
            }
            catch (Exception e) when (NativeLoadFailure(e) is { } failure)
            {
                throw NotFound(failure);
            }
        }
    }

    /// <summary>The library's version, e.g. "1.32.0".</summary>
    public static string Version => Environment.GetVersionString();

    /// <summary>The execution providers this build of the library has, e.g. CPUExecutionProvider.</summary>
    public static IReadOnlyList<string> AvailableProviders => Environment.GetAvailableProviders();

    /// <summary>The loader failure behind <paramref name="exception"/>, if it is one.</summary>
    internal static Exception? NativeLoadFailure(Exception exception) => exception switch
    {
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => exception,
        TypeInitializationException { InnerException: { } inner } => NativeLoadFailure(inner),
        _ => null,
    };

    internal static OnnxRuntimeNotFoundException NotFound(Exception failure)
    {
        string place = $"the application's native libraries (runtimes/<rid>/native/ or the application folder): {failure.Message}";
        return new OnnxRuntimeNotFoundException(
            "The ONNX Runtime native library could not be loaded. Reference the Embeddings.Onnx package (CPU; it brings " +
            "Microsoft.ML.OnnxRuntime) or Embeddings.Onnx.Gpu (CUDA; it brings Microsoft.ML.OnnxRuntime.Gpu), not only " +
            "Embeddings.Onnx.Managed, and publish for a runtime identifier the package ships natives for " +
            "(linux-x64, linux-arm64, win-x64, win-arm64, osx-arm64). Tried " + place,
            [place]);
    }
}
