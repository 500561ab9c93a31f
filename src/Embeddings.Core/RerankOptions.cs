namespace Embeddings;

/// <summary>Per-call settings for <see cref="IReranker.Rerank"/>. Batch limits, the over-long input policy and the truncation side come from <see cref="BatchingOptions"/> (for a pair, the longer of query and document loses tokens first, as <c>longest_first</c> does).</summary>
public sealed class RerankOptions : BatchingOptions
{
    private int? _topK;

    /// <summary>Return only the best <c>TopK</c> documents; null returns them all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? TopK
    {
        get => _topK;
        set => _topK = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>Return the model's raw logits instead of its activation (sigmoid for single-label models). Default false.</summary>
    public bool RawScores { get; set; }

    /// <summary>A copy of these options.</summary>
    public RerankOptions Clone() => (RerankOptions)MemberwiseClone();
}
