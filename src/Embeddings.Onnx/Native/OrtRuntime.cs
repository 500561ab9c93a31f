namespace Embeddings.Onnx.Native;

/// <summary>
/// One loaded ONNX Runtime library: its function table, version, and the process-wide objects every
/// session shares (the environment, a CPU memory description, the default allocator).
/// </summary>
/// <remarks>
/// Loaded once per distinct request (explicit path, <c>ORT_DYLIB_PATH</c> value, or neither) and kept for
/// the life of the process; native libraries are never unloaded. A failed load is not remembered, so a
/// corrected path can be tried again.
/// </remarks>
internal sealed unsafe class OrtRuntime
{
    // ORT_LOGGING_LEVEL_FATAL: every failure reaches the caller as an exception carrying the same message,
    // so ONNX Runtime's own log lines on stderr would only repeat it inside the embedding application.
    private const int LoggingLevel = 4;

    // OrtAllocatorType OrtDeviceAllocator, OrtMemType OrtMemTypeDefault: plain CPU memory.
    private const int DeviceAllocator = 0;
    private const int DefaultMemoryType = 0;

    private static readonly Lock LoadGate = new();
    private static readonly Dictionary<string, OrtRuntime> Loaded = new(StringComparer.Ordinal);

    internal OrtRuntime(string libraryPath, string version, OrtApi api)
    {
        LibraryPath = libraryPath;
        Version = version;
        Api = api;
        // The environment comes first: much of the C API (CUDA provider options among it) needs its logger to exist.
        Environment = CreateEnvironment();
        CpuMemory = CreateCpuMemoryInfo();
        DefaultAllocator = GetDefaultAllocator();
    }

    /// <summary>The path the library was loaded from, or the bare name the system loader resolved.</summary>
    public string LibraryPath { get; }

    /// <summary>The library's own version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>The function table.</summary>
    public OrtApi Api { get; }

    /// <summary>The environment sessions are created in.</summary>
    public OrtEnvHandle Environment { get; }

    /// <summary>Describes plain CPU memory, for tensors over managed buffers. Read-only, shared by all threads.</summary>
    public OrtMemoryInfoHandle CpuMemory { get; }

    /// <summary>ONNX Runtime's default CPU allocator (owned by the library; never released).</summary>
    public nint DefaultAllocator { get; }

    /// <summary>Loads the runtime as <paramref name="explicitPath"/> and the environment ask for.</summary>
    /// <param name="explicitPath">A path from the options, or null to search.</param>
    /// <exception cref="OnnxRuntimeNotFoundException">No usable library was found.</exception>
    public static OrtRuntime Load(string? explicitPath)
    {
        var fromEnvironment = System.Environment.GetEnvironmentVariable(OrtLibraryResolver.EnvironmentVariable);
        var key = !string.IsNullOrWhiteSpace(explicitPath) ? "path:" + Path.GetFullPath(explicitPath)
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? "env:" + fromEnvironment
            : "search";
        lock (LoadGate)
        {
            if (Loaded.TryGetValue(key, out var runtime)) return runtime;
            runtime = OrtLibraryResolver.Load(OrtLibraryResolver.Candidates(explicitPath, fromEnvironment, AppContext.BaseDirectory));
            Loaded[key] = runtime;
            return runtime;
        }
    }

    /// <summary>The execution providers this build of the library has, e.g. "CPUExecutionProvider".</summary>
    public IReadOnlyList<string> AvailableProviders()
    {
        byte** names;
        int count;
        Api.Check(Api.GetAvailableProviders(&names, &count));
        try
        {
            var providers = new string[count];
            for (int i = 0; i < count; i++) providers[i] = Utf8.ToString(names[i]) ?? string.Empty;
            return providers;
        }
        finally
        {
            Api.Check(Api.ReleaseAvailableProviders(names, count));
        }
    }

    private OrtEnvHandle CreateEnvironment()
    {
        nint environment;
        fixed (byte* logId = Utf8.NullTerminated("Embeddings"))
            Api.Check(Api.CreateEnv(LoggingLevel, logId, &environment));
        return new OrtEnvHandle(Api, environment);
    }

    private OrtMemoryInfoHandle CreateCpuMemoryInfo()
    {
        nint info;
        Api.Check(Api.CreateCpuMemoryInfo(DeviceAllocator, DefaultMemoryType, &info));
        return new OrtMemoryInfoHandle(Api, info);
    }

    private nint GetDefaultAllocator()
    {
        nint allocator;
        Api.Check(Api.GetAllocatorWithDefaultOptions(&allocator));
        return allocator;
    }
}
