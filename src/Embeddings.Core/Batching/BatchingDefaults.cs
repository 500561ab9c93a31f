namespace Embeddings.Batching;

/// <summary>The batching defaults and why they are what they are.</summary>
internal static class BatchingDefaults
{
    /// <summary>
    /// Padded tokens per batch (count × longest length): 1,024, chosen for CPUs. Short texts still run 30–256 at a
    /// time, so per-run overhead vanishes; a batch's activations stay small enough to live in the processor's
    /// caches, which on a CPU is worth more than larger matrix products: on MiniLM- and base-shaped models,
    /// 1,024 ran 1.3–1.7× faster than 8,192 and 1.05–1.15× faster than 2,048 on one core (docs/benchmarks.md).
    /// The budget also bounds memory: attention scores grow with budget × length, the runtime's memory arena keeps
    /// its high-water mark, and SPLADE logits are budget × vocabulary floats. GPUs want far larger batches
    /// (16,384–32,768).
    /// </summary>
    public const int MaxBatchTokens = 1024;

    /// <summary>Most sequences per batch: 256. Beyond this, CPU throughput no longer improves.</summary>
    public const int MaxBatchSize = 256;
}
