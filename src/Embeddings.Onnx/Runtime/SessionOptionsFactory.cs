using Microsoft.ML.OnnxRuntime;

namespace Embeddings.Onnx.Runtime;

/// <summary>Turns <see cref="OnnxRuntimeOptions"/> into the managed API's <see cref="SessionOptions"/>.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>Creates session options that say what <paramref name="options"/> says, without an execution provider.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected a setting.</exception>
    public static SessionOptions Create(OnnxRuntimeOptions options)
    {
        var session = new SessionOptions();
        try
        {
            // Every failure reaches the caller as an exception carrying the same message, so ONNX Runtime's own
            // log lines on stderr would only repeat it inside the embedding application.
            session.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            session.GraphOptimizationLevel = (Microsoft.ML.OnnxRuntime.GraphOptimizationLevel)(int)options.GraphOptimizationLevel;
            session.ExecutionMode = options.ExecutionMode == ExecutionMode.Parallel
                ? Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_PARALLEL
                : Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL;
            if (options.IntraOpThreads is int intraOp) session.IntraOpNumThreads = intraOp;
            if (options.InterOpThreads is int interOp) session.InterOpNumThreads = interOp;
            session.EnableCpuMemArena = options.EnableMemoryArena;
            var spinning = options.AllowSpinning ? "1" : "0";
            session.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
            session.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);
            return session;
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            session.Dispose();
            throw OrtErrors.Wrap(e, "ONNX Runtime rejected a session setting");
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Adds the CUDA execution provider on <paramref name="device"/>.</summary>
    /// <exception cref="ExecutionProviderUnavailableException">This ONNX Runtime build or machine cannot run CUDA; the message says what is missing.</exception>
    public static void AppendCuda(SessionOptions session, int device)
    {
        var available = OrtRuntime.AvailableProviders;
        if (!available.Contains(OrtRuntime.CudaProvider, StringComparer.Ordinal))
        {
            throw CudaUnavailable(device,
                $"the ONNX Runtime {OrtRuntime.Version} in this application is a build without it (it offers {string.Join(", ", available)}); " +
                "reference Embeddings.Onnx.Gpu instead of Embeddings.Onnx", null);
        }
        try
        {
            session.AppendExecutionProvider_CUDA(device);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw CudaUnavailable(device, DescribeMissing(e.Message), e);
        }
    }

    /// <summary>Says what is missing when CUDA fails: a shared library (asked of the system loader), or the device itself.</summary>
    internal static string DescribeMissing(string runtimeMessage)
    {
        string message = runtimeMessage.Trim();
        if (CudaProviderProbe.WhatIsMissing() is { } missing)
        {
            return $"{missing}. The GPU package needs CUDA 13 and cuDNN 9 libraries findable by the loader (LD_LIBRARY_PATH or PATH); " +
                $"ONNX Runtime said: {message}";
        }
        if (message.Contains("no CUDA-capable device", StringComparison.OrdinalIgnoreCase) || message.Contains("invalid device ordinal", StringComparison.OrdinalIgnoreCase))
            return $"no usable CUDA device was found (check the driver and the device id); ONNX Runtime said: {message}";
        return $"ONNX Runtime could not enable it: {message}";
    }

    /// <summary>The typed error for a CUDA request that cannot be met.</summary>
    internal static ExecutionProviderUnavailableException CudaUnavailable(int device, string missing, Exception? inner) => new(
        OrtRuntime.CudaProvider, device, missing,
        $"CUDA device {device} was requested, but cannot be used: {missing}. Set OnnxRuntimeOptions.CudaFallbackToCpu to run on the CPU instead, " +
        "or leave CudaDeviceId unset.",
        inner);
}
