using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// One text's multi-vector (ColBERT-style) embedding: a [<see cref="Count"/> × <see cref="Dimensions"/>] matrix,
/// one row per token the model keeps for scoring, each with the token it came from.
/// </summary>
/// <remarks>The rows of all texts of one call share one buffer; <see cref="Vectors"/> is this text's slice.</remarks>
public sealed class MultiVectorEmbedding
{
    internal MultiVectorEmbedding(int[] ids, int[] positions, TokenOffset[] offsets, ReadOnlyMemory<float> vectors, int dimensions, bool truncated)
    {
        Ids = ids;
        Positions = positions;
        Offsets = offsets;
        Vectors = vectors;
        Dimensions = dimensions;
        WasTruncated = truncated;
    }

    /// <summary>Number of rows.</summary>
    public int Count => Ids.Count;

    /// <summary>Width of each row.</summary>
    public int Dimensions { get; }

    /// <summary>The token id each row comes from (the expansion token for query expansion rows).</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>The position of each row's token in the model input (prompt and special tokens included).</summary>
    public IReadOnlyList<int> Positions { get; }

    /// <summary>UTF-16 spans of each row's token in the caller's text; (0, 0) for special tokens, prompt tokens and
    /// query expansion positions.</summary>
    public IReadOnlyList<TokenOffset> Offsets { get; }

    /// <summary>All rows back to back, row-major [Count × Dimensions].</summary>
    public ReadOnlyMemory<float> Vectors { get; }

    /// <summary>True when the text was cut to the role's length limit.</summary>
    public bool WasTruncated { get; }

    /// <summary>Row <paramref name="index"/>.</summary>
    /// <param name="index">The row.</param>
    public ReadOnlyMemory<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Vectors.Slice(index * Dimensions, Dimensions);
        }
    }
}
