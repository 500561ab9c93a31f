namespace Embeddings.Tokenization;

/// <summary>How the token budget is shared between the two sequences of a pair.</summary>
public enum PairTruncationStrategy
{
    /// <summary>Take tokens from the longer sequence first (the budget is split evenly when both are long).</summary>
    LongestFirst,

    /// <summary>Truncate only the first sequence.</summary>
    OnlyFirst,

    /// <summary>Truncate only the second sequence.</summary>
    OnlySecond,
}

/// <summary>
/// Truncation settings (the tokenizer.json <c>truncation</c> section). <see cref="MaxLength"/> counts the
/// special tokens the post-processor adds.
/// </summary>
public sealed record TruncationOptions
{
    /// <summary>Creates truncation settings.</summary>
    /// <param name="maxLength">Maximum number of tokens, special tokens included.</param>
    /// <param name="strategy">How the budget is shared by a pair.</param>
    /// <param name="direction">Which end loses tokens.</param>
    /// <param name="stride">Tokens shared by consecutive overflowing windows; must be smaller than the tokens kept.</param>
    /// <exception cref="ArgumentOutOfRangeException">A length or the stride is negative.</exception>
    public TruncationOptions(int maxLength, PairTruncationStrategy strategy = PairTruncationStrategy.LongestFirst,
        SequenceSide direction = SequenceSide.Right, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        MaxLength = maxLength;
        Strategy = strategy;
        Direction = direction;
        Stride = stride;
    }

    /// <summary>Maximum number of tokens, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>How the budget is shared by a pair.</summary>
    public PairTruncationStrategy Strategy { get; }

    /// <summary>Which end loses tokens.</summary>
    public SequenceSide Direction { get; }

    /// <summary>Tokens shared by consecutive overflowing windows.</summary>
    public int Stride { get; }
}
