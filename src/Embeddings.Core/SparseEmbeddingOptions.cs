namespace Embeddings;

/// <summary>Per-call settings for <see cref="IEmbedder.EmbedSparse"/>.</summary>
public sealed class SparseEmbeddingOptions : BatchingOptions
{
    private int? _topK;
    private float _minWeight;

    /// <summary>Keep only the <c>TopK</c> largest weights (ties by lower index); null keeps all.</summary>
    public int? TopK
    {
        get => _topK;
        set => _topK = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1.") : value;
    }

    /// <summary>Drop weights at or below this value. Default 0: every positive weight is kept.</summary>
    public float MinWeight
    {
        get => _minWeight;
        set => _minWeight = float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be a finite number ≥ 0.");
    }

    /// <summary>A copy of these options.</summary>
    public SparseEmbeddingOptions Clone() => (SparseEmbeddingOptions)MemberwiseClone();
}
