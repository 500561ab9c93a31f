using Embeddings.Models;

namespace Embeddings;

/// <summary>Per-call settings for <see cref="IReranker.Rerank"/>. Batch limits and the truncation policy come from <see cref="BatchingOptions"/>.</summary>
public sealed class RerankOptions : BatchingOptions
{
    private int? _topK;
    private SequenceSide? _truncationSide;

    /// <summary>Return only the best <c>TopK</c> documents; null returns them all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? TopK
    {
        get => _topK;
        set => _topK = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>Return the model's raw logits instead of its activation (sigmoid for single-label models). Default false.</summary>
    public bool RawScores { get; set; }

    /// <summary>
    /// Which end of a too-long pair is cut (the longer of query and document loses tokens first, as
    /// <c>longest_first</c> does); null follows the tokenizer's <c>truncation_side</c> (right by default).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="SequenceSide"/>.</exception>
    public SequenceSide? TruncationSide
    {
        get => _truncationSide;
        set => _truncationSide = value is { } side && !Enum.IsDefined(side)
            ? throw new ArgumentOutOfRangeException(nameof(value), value, "is not a defined side.")
            : value;
    }

    /// <summary>A copy of these options.</summary>
    public RerankOptions Clone() => (RerankOptions)MemberwiseClone();
}
