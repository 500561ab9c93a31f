using Embeddings.Tokenization;

namespace Embeddings;

/// <summary>
/// One text's per-token vectors from <see cref="IEmbedder.EmbedTokens"/>: the tokens, where they come from
/// in the text, and a [<see cref="Count"/> × <see cref="Dimensions"/>] block of vectors, row t for token t.
/// </summary>
public sealed class TokenEmbeddings
{
    internal TokenEmbeddings(int[] ids, string[] tokens, TokenOffset[] offsets, bool[] special, ReadOnlyMemory<float> vectors, int dimensions, bool truncated)
    {
        Ids = ids;
        Tokens = tokens;
        Offsets = offsets;
        IsSpecial = special;
        Vectors = vectors;
        Dimensions = dimensions;
        WasTruncated = truncated;
    }

    /// <summary>Number of tokens.</summary>
    public int Count => Ids.Count;

    /// <summary>Width of each vector (the model's hidden size).</summary>
    public int Dimensions { get; }

    /// <summary>Token ids.</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>Token strings as the vocabulary spells them.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>UTF-16 spans into the input text; (0, 0) for special tokens.</summary>
    public IReadOnlyList<TokenOffset> Offsets { get; }

    /// <summary>True for special tokens added by the tokenizer.</summary>
    public IReadOnlyList<bool> IsSpecial { get; }

    /// <summary>All vectors back to back, row-major [Count × Dimensions].</summary>
    public ReadOnlyMemory<float> Vectors { get; }

    /// <summary>True when the text was cut to fit the model.</summary>
    public bool WasTruncated { get; }

    /// <summary>The vector of token <paramref name="index"/>.</summary>
    /// <param name="index">The token's position.</param>
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
