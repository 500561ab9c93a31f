using System.Globalization;

namespace Embeddings.Onnx.Native;

/// <summary>Turns <see cref="OnnxRuntimeOptions"/> into native session options.</summary>
internal static unsafe class OrtSessionOptionsFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>Creates session options that say what <paramref name="options"/> says.</summary>
    /// <exception cref="NotSupportedException">CUDA was asked for and the library has no CUDA execution provider.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected a setting.</exception>
    public static OrtSessionOptionsHandle Create(OrtRuntime runtime, OnnxRuntimeOptions options)
    {
        var api = runtime.Api;
        var handle = OrtSessionOptionsHandle.Create(api);
        try
        {
            var native = handle.DangerousGetHandle();
            api.Check(api.SetSessionGraphOptimizationLevel(native, (int)options.GraphOptimizationLevel));
            api.Check(api.SetSessionExecutionMode(native, (int)options.ExecutionMode));
            if (options.IntraOpThreads is int intraOp) api.Check(api.SetIntraOpNumThreads(native, intraOp));
            if (options.InterOpThreads is int interOp) api.Check(api.SetInterOpNumThreads(native, interOp));
            api.Check(options.EnableMemoryArena ? api.EnableCpuMemArena(native) : api.DisableCpuMemArena(native));
            var spinning = options.AllowSpinning ? "1" : "0";
            handle.AddConfigEntry("session.intra_op.allow_spinning", spinning);
            handle.AddConfigEntry("session.inter_op.allow_spinning", spinning);
            if (options.CudaDeviceId is int device) AppendCuda(runtime, native, device);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AppendCuda(OrtRuntime runtime, nint sessionOptions, int device)
    {
        var available = runtime.AvailableProviders();
        if (!available.Contains(CudaProvider, StringComparer.Ordinal))
            throw CudaUnavailable(runtime, device, $"it was built without the CUDA execution provider (it offers {string.Join(", ", available)})", null);

        var api = runtime.Api;
        try
        {
            nint cuda;
            api.Check(api.CreateCUDAProviderOptions(&cuda));
            using var cudaOptions = new OrtCudaProviderOptionsHandle(api, cuda);
            fixed (byte* key = Utf8.NullTerminated("device_id"))
            fixed (byte* value = Utf8.NullTerminated(device.ToString(CultureInfo.InvariantCulture)))
            {
                byte** keys = stackalloc byte*[] { key };
                byte** values = stackalloc byte*[] { value };
                api.Check(api.UpdateCUDAProviderOptions(cuda, keys, values, 1));
            }
            api.Check(api.SessionOptionsAppendExecutionProvider_CUDA_V2(sessionOptions, cuda));
        }
        catch (OnnxRuntimeException e)
        {
            // Builds that list CUDA but ship without its provider libraries (or run without CUDA installed) fail here.
            throw CudaUnavailable(runtime, device, $"its CUDA execution provider could not be enabled ({e.Message.Trim()})", e);
        }
    }

    private static NotSupportedException CudaUnavailable(OrtRuntime runtime, int device, string reason, Exception? inner) => new(
        $"CUDA device {device} was requested, but the ONNX Runtime library '{runtime.LibraryPath}' (version {runtime.Version}) cannot use it: {reason}. " +
        "For CUDA, use a CUDA build of ONNX Runtime together with its provider libraries and a matching CUDA and cuDNN installation " +
        "(the Microsoft.ML.OnnxRuntime.Gpu package, or ORT_DYLIB_PATH / OnnxRuntimeOptions.LibraryPath pointing at such a build), " +
        "or leave CudaDeviceId unset to run on the CPU.",
        inner);
}
