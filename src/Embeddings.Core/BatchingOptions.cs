using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>Settings every embedding call shares: batch limits, the truncation policy and progress.</summary>
/// <remarks>Setters validate; <c>Clone</c> on the derived classes copies.</remarks>
public abstract class BatchingOptions
{
    private int? _maxBatchTokens;
    private int? _maxBatchSize;
    private OverlongInputPolicy _truncation = OverlongInputPolicy.Truncate;
    private SequenceSide? _truncationSide;

    /// <summary>
    /// Padded tokens per batch (sequences × longest length); null uses the embedder's setting
    /// (default 1,024, tuned for CPUs; <see cref="EmbedderOptions.MaxBatchTokens"/>). Bounds the memory of one batch.
    /// </summary>
    public int? MaxBatchTokens
    {
        get => _maxBatchTokens;
        set => _maxBatchTokens = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>Most sequences per batch; null uses the embedder's setting (default 256; <see cref="EmbedderOptions.MaxBatchSize"/>).</summary>
    public int? MaxBatchSize
    {
        get => _maxBatchSize;
        set => _maxBatchSize = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>Texts over the model's limit are truncated (default) or rejected.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="OverlongInputPolicy"/>.</exception>
    public OverlongInputPolicy Truncation
    {
        get => _truncation;
        set => _truncation = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "is not a defined truncation policy.");
    }

    /// <summary>
    /// The end a too-long text loses when <see cref="Truncation"/> truncates (TEI's <c>truncation_direction</c>): Right keeps
    /// the start, Left keeps the end. Null follows the model (tokenizer_config.json's <c>truncation_side</c>, else right).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="SequenceSide"/>.</exception>
    public SequenceSide? TruncationSide
    {
        get => _truncationSide;
        set => _truncationSide = value is { } direction && !Enum.IsDefined(direction)
            ? throw new ArgumentOutOfRangeException(nameof(value), value, "is not a defined truncation direction.")
            : value;
    }

    /// <summary>Receives progress after each batch; useful for large inputs.</summary>
    public IProgress<EmbeddingProgress>? Progress { get; set; }

    /// <summary>A member-wise copy, for derived classes' <c>Clone</c>.</summary>
    internal BatchingOptions ShallowCopy() => (BatchingOptions)MemberwiseClone();
}
