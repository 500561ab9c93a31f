namespace Embeddings.Tokenization;

/// <summary>Truncation of one sequence or a pair to a token budget (the reference's <c>truncate_encodings</c>).</summary>
internal static class Truncator
{
    /// <summary>Truncates to <paramref name="maxLength"/> tokens in total using the strategy, direction and stride of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">OnlySecond without a pair, or the sequence to truncate is too short.</exception>
    public static (Encoding First, Encoding? Second) Truncate(Encoding first, Encoding? second, int maxLength, TruncationOptions options)
    {
        var stride = options.Stride;
        var direction = options.Direction;
        if (maxLength == 0)
            return (EncodingOperations.Truncate(first, 0, stride, direction),
                second is null ? null : EncodingOperations.Truncate(second, 0, stride, direction));

        var total = first.Length + (second?.Length ?? 0);
        if (total <= maxLength) return (first, second);
        var toRemove = total - maxLength;

        switch (options.Strategy)
        {
            case PairTruncationStrategy.LongestFirst when second is null:
                return (EncodingOperations.Truncate(first, total - toRemove, stride, direction), null);
            case PairTruncationStrategy.LongestFirst:
            {
                var (n1, n2) = LongestFirstLengths(first.Length, second.Length, maxLength);
                return (EncodingOperations.Truncate(first, n1, stride, direction), EncodingOperations.Truncate(second, n2, stride, direction));
            }
            default:
            {
                var onlyFirst = options.Strategy == PairTruncationStrategy.OnlyFirst;
                if (!onlyFirst && second is null)
                    throw new ArgumentException("Truncation strategy OnlySecond needs a second sequence.");
                var target = onlyFirst ? first : second!;
                if (target.Length <= toRemove)
                    throw new ArgumentException(
                        $"Truncation error: the {(onlyFirst ? "first" : "second")} sequence ({target.Length} tokens) is too short to remove {toRemove} tokens and respect max_length.");
                var truncated = EncodingOperations.Truncate(target, target.Length - toRemove, stride, direction);
                return onlyFirst ? (truncated, second) : (first, truncated);
            }
        }
    }

    /// <summary>
    /// How many tokens of each sequence longest_first keeps for a pair of <paramref name="n1"/> and <paramref name="n2"/>
    /// tokens within <paramref name="maxLength"/> (special tokens already taken off).
    /// </summary>
    public static (int First, int Second) LongestFirstLengths(int n1, int n2, int maxLength)
    {
        if (maxLength == 0) return (0, 0);
        if (n1 + n2 <= maxLength) return (n1, n2);
        var swap = n1 > n2;
        if (swap) (n1, n2) = (n2, n1);
        n2 = n1 > maxLength ? n1 : Math.Max(n1, maxLength - n1);
        if (n1 + n2 > maxLength)
        {
            n1 = maxLength / 2;
            n2 = n1 + maxLength % 2;
        }
        return swap ? (n2, n1) : (n1, n2);
    }
}
