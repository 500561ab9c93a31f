namespace Embeddings.Batching;

/// <summary>The batching defaults and why they are what they are.</summary>
public static class BatchingDefaults
{
    /// <summary>
    /// Padded tokens per batch (count × longest length): 8,192. Large enough that short texts run 64–256 at a
    /// time (per-run overhead vanishes), small enough that the runtime's memory for one batch — and so the
    /// ONNX Runtime arena, which keeps its high-water mark — stays bounded: attention scores grow with
    /// count × length², i.e. budget × length.
    /// </summary>
    public const int MaxBatchTokens = 8192;

    /// <summary>Most sequences per batch: 256. Beyond this, CPU throughput no longer improves.</summary>
    public const int MaxBatchSize = 256;
}
