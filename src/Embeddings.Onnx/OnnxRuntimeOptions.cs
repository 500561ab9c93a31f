namespace Embeddings.Onnx;

/// <summary>
/// How the ONNX Runtime backend configures a session: threads, optimization, memory and execution provider. Values are checked when set;
/// the backend takes a copy when it is created, so changing an instance afterwards affects nothing.
/// </summary>
public sealed class OnnxRuntimeOptions
{
    private int? _intraOpThreads;
    private int? _interOpThreads;
    private GraphOptimizationLevel _graphOptimizationLevel = GraphOptimizationLevel.All;
    private ExecutionMode _executionMode = ExecutionMode.Sequential;
    private int? _cudaDeviceId;

    /// <summary>Threads used inside one operator; null lets ONNX Runtime choose (one per physical core).</summary>
    public int? IntraOpThreads
    {
        get => _intraOpThreads;
        set => _intraOpThreads = PositiveOrNull(value);
    }

    /// <summary>Threads used to run independent operators at once (only with <see cref="ExecutionMode.Parallel"/>); null lets ONNX Runtime choose.</summary>
    public int? InterOpThreads
    {
        get => _interOpThreads;
        set => _interOpThreads = PositiveOrNull(value);
    }

    /// <summary>How much the graph is optimized when the session is created. Default <see cref="GraphOptimizationLevel.All"/>.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel
    {
        get => _graphOptimizationLevel;
        set => _graphOptimizationLevel = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a GraphOptimizationLevel.");
    }

    /// <summary>How operators are scheduled. Default <see cref="ExecutionMode.Sequential"/>.</summary>
    public ExecutionMode ExecutionMode
    {
        get => _executionMode;
        set => _executionMode = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Not an ExecutionMode.");
    }

    /// <summary>
    /// Whether the CPU memory arena is used. On (the default), memory for intermediate tensors is kept and
    /// reused between runs: fast, but it stays at the size the largest batch needed. Off, every run
    /// allocates and frees.
    /// </summary>
    public bool EnableMemoryArena { get; set; } = true;

    /// <summary>
    /// Whether the arena gives memory back to the system after each run (the run option
    /// <c>memory.enable_memory_arena_shrinkage</c>), trading some speed for a footprint that follows the
    /// current batch instead of the largest one seen. Ignored when <see cref="EnableMemoryArena"/> is off. Default false.
    /// </summary>
    public bool ShrinkMemoryArenaAfterRun { get; set; }

    /// <summary>
    /// Whether idle worker threads spin (busy-wait) for a while before sleeping (the session entries
    /// <c>session.intra_op.allow_spinning</c> and <c>session.inter_op.allow_spinning</c>). Spinning lowers
    /// latency between back-to-back runs but burns CPU between calls; servers usually turn it off.
    /// Default true, as in ONNX Runtime.
    /// </summary>
    public bool AllowSpinning { get; set; } = true;

    /// <summary>
    /// The CUDA device to run on, or null (the default) for the CPU. Needs the CUDA build of ONNX Runtime
    /// (reference the Embeddings.Onnx.Gpu package instead of Embeddings.Onnx) with CUDA and cuDNN installed;
    /// otherwise creating a backend fails with <see cref="ExecutionProviderUnavailableException"/>, unless
    /// <see cref="CudaFallbackToCpu"/> is set.
    /// </summary>
    public int? CudaDeviceId
    {
        get => _cudaDeviceId;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "A CUDA device id is 0 or more.");
            _cudaDeviceId = value;
        }
    }

    /// <summary>
    /// When CUDA was asked for (<see cref="CudaDeviceId"/>) and cannot be used, run on the CPU instead of
    /// failing; the backend's <see cref="OnnxInferenceBackend.ExecutionProvider"/> then says CPUExecutionProvider
    /// and <see cref="OnnxInferenceBackend.FallbackReason"/> why. Default false.
    /// </summary>
    public bool CudaFallbackToCpu { get; set; }

    /// <summary>A copy that can be changed without affecting this instance.</summary>
    public OnnxRuntimeOptions Clone() => (OnnxRuntimeOptions)MemberwiseClone();

    private static int? PositiveOrNull(int? value, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "A thread count is 1 or more; use null for ONNX Runtime's default.");
}
