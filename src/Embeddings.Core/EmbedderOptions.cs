using Embeddings.Batching;

namespace Embeddings;

/// <summary>Settings fixed when an embedder is created. Per-call settings live in <see cref="EmbedOptions"/> and friends.</summary>
public sealed class EmbedderOptions
{
    private int _maxBatchTokens = BatchingDefaults.MaxBatchTokens;
    private int _maxBatchSize = BatchingDefaults.MaxBatchSize;

    /// <summary>The name reported in <see cref="EmbedderInfo.ModelId"/>; null uses the folder name.</summary>
    public string? ModelId { get; set; }

    /// <summary>Padded tokens per batch (sequences × longest length). Default 1,024: on CPUs it ran 1.3–1.7× faster than 8,192 and
    /// 1.05–1.15× faster than 2,048 while keeping a batch's activations in cache (docs/benchmarks.md); GPUs want 16,384–32,768.</summary>
    public int MaxBatchTokens
    {
        get => _maxBatchTokens;
        set => _maxBatchTokens = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.");
    }

    /// <summary>Most sequences per batch. Default 256: beyond it, CPU throughput no longer improves.</summary>
    public int MaxBatchSize
    {
        get => _maxBatchSize;
        set => _maxBatchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.");
    }

    /// <summary>
    /// Makes results independent of batch composition for models whose results depend on it
    /// (<see cref="EmbedderInfo.BatchDependent"/>, for example dynamically quantized ones): every sequence then runs on
    /// its own, so a text's vector never depends on its companions. Slower for those models; no effect on other models,
    /// whose results never depend on their batch. Default false.
    /// </summary>
    public bool BatchIndependentResults { get; set; }

    /// <summary>
    /// Micro-batching for concurrent callers of the asynchronous methods; null (the default) runs every call on its
    /// own. Servers should enable it.
    /// </summary>
    public EmbeddingQueueOptions? Queue { get; set; }

    /// <summary>A copy of these options.</summary>
    public EmbedderOptions Clone()
    {
        var copy = (EmbedderOptions)MemberwiseClone();
        copy.Queue = Queue?.Clone();
        return copy;
    }
}
