using Embeddings.Models;
using Embeddings.Onnx;

namespace Embeddings.Compare;

/// <summary>
/// A model folder loaded the way <see cref="OnnxEmbedder.Create"/> loads it, except that the embedder runs
/// through a <see cref="RecordingBackend"/> and the bare backend stays reachable, so the library and the bare
/// runtime can be timed on one session. The runtime settings come from the command line.
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private LoadedModel(Embedder embedder, OnnxInferenceBackend backend, RecordingBackend recorder, OnnxRuntimeOptions runtime)
    {
        Embedder = embedder;
        Backend = backend;
        Recorder = recorder;
        Runtime = runtime;
    }

    public Embedder Embedder { get; }
    public OnnxInferenceBackend Backend { get; }
    public RecordingBackend Recorder { get; }
    public OnnxRuntimeOptions Runtime { get; }

    /// <summary>
    /// Options read: --model DIR (required), --threads N (intra-op; inter-op is 1), --opt all|extended|basic|none,
    /// --spinning on|off, --arena on|off, --shrink on|off, --budget N (MaxBatchTokens), --max-batch N (MaxBatchSize).
    /// </summary>
    public static LoadedModel Open(CommandLine options)
    {
        var runtime = new OnnxRuntimeOptions
        {
            IntraOpThreads = options.OptionalInt("threads") is int threads and > 0 ? threads : null,
            InterOpThreads = 1,
            GraphOptimizationLevel = options.String("opt", "all") switch
            {
                "all" => GraphOptimizationLevel.All,
                "extended" => GraphOptimizationLevel.Extended,
                "basic" => GraphOptimizationLevel.Basic,
                "none" => GraphOptimizationLevel.None,
                var other => throw new ArgumentException($"--opt takes all, extended, basic or none, not '{other}'."),
            },
            AllowSpinning = options.Bool("spinning", new OnnxRuntimeOptions().AllowSpinning),
            EnableMemoryArena = options.Bool("arena", true),
            ShrinkMemoryArenaAfterRun = options.Bool("shrink", false),
        };
        var embedderOptions = new EmbedderOptions();
        if (options.OptionalInt("budget") is int budget) embedderOptions.MaxBatchTokens = budget;
        if (options.OptionalInt("max-batch") is int maxBatch) embedderOptions.MaxBatchSize = maxBatch;

        var folder = ModelFolder.Open(options.Required("model"));
        var tokenizer = OnnxEmbedder.LoadTokenizer(folder);
        var backend = OnnxInferenceBackend.Create(OnnxModelFile.Find(folder), runtime);
        var recorder = new RecordingBackend(backend);
        return new LoadedModel(Embedder.Create(folder, tokenizer, recorder, embedderOptions), backend, recorder, runtime);
    }

    /// <summary>The runtime settings as they go into a report.</summary>
    public object Describe() => new
    {
        intra_op_threads = Runtime.IntraOpThreads,
        inter_op_threads = Runtime.InterOpThreads,
        graph_optimization = Runtime.GraphOptimizationLevel.ToString(),
        spinning = Runtime.AllowSpinning,
        arena = Runtime.EnableMemoryArena,
        shrink_arena = Runtime.ShrinkMemoryArenaAfterRun,
        onnxruntime = Backend.RuntimeVersion,
    };

    public void Dispose() => Embedder.Dispose();
}
