using Embeddings.Chunking;

namespace Embeddings;

/// <summary>Per-call settings for <see cref="IEmbedder.LateChunk"/>.</summary>
public sealed class LateChunkOptions : BatchingOptions
{
    private IChunker _chunker = SentenceChunker.Instance;
    private int? _maxLength;
    private int? _windowOverlap;

    /// <summary>Where the chunks are: sentences (default), token windows, or spans the caller gives.</summary>
    public IChunker Chunker
    {
        get => _chunker;
        set => _chunker = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>L2-normalize each chunk vector. Default true, so chunks compare by cosine or dot alike.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>The model window in tokens, special tokens included; null (or more than the model allows) uses the
    /// model's limit. Documents longer than one window are embedded in overlapping windows.</summary>
    public int? MaxLength
    {
        get => _maxLength;
        set => _maxLength = value is < 3 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 3.") : value;
    }

    /// <summary>Tokens shared by consecutive windows of a long document; null uses a quarter of the window.
    /// Each token takes its vector from the window where it has the most context on both sides.</summary>
    public int? WindowOverlap
    {
        get => _windowOverlap;
        set => _windowOverlap = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be ≥ 0.") : value;
    }

    /// <summary>A copy of these options.</summary>
    public LateChunkOptions Clone() => (LateChunkOptions)MemberwiseClone();
}
