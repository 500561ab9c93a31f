using Embeddings.Tokenization;

namespace Embeddings.Tokenizers;

/// <summary>
/// Which tokens of a full encoding fit in a token budget, cut where the text can be cut: the post-processor's special
/// tokens (before and after the text) are always kept, and of the text's own tokens the longest run from the start
/// (or from the end) that fits and does not share a character with the tokens left out.
/// </summary>
/// <remarks>
/// Several tokens can come from one character (byte-level BPE splits a character into its UTF-8 bytes, Unigram byte
/// fallback, a SentencePiece word boundary): cutting between them would leave no character index to report, so the
/// whole group is left out, as Microsoft.ML.Tokenizers' own tokenizers do.
/// </remarks>
internal readonly struct TokenBudget
{
    private TokenBudget(int prefix, int contentStart, int contentCount, int suffix, int index)
    {
        Prefix = prefix;
        ContentStart = contentStart;
        ContentCount = contentCount;
        Suffix = suffix;
        Index = index;
    }

    /// <summary>Special tokens kept before the text's tokens.</summary>
    public int Prefix { get; }

    /// <summary>Index, in the encoding, of the first kept token of the text.</summary>
    public int ContentStart { get; }

    /// <summary>Number of the text's tokens kept.</summary>
    public int ContentCount { get; }

    /// <summary>Special tokens kept after the text's tokens.</summary>
    public int Suffix { get; }

    /// <summary>
    /// From the start: one past the last character covered (the text's length when every token fits, 0 when none does).
    /// From the end: the first character covered (0 when every token fits, the text's length when none does).
    /// </summary>
    public int Index { get; }

    /// <summary>Number of tokens kept, special tokens included.</summary>
    public int TokenCount => Prefix + ContentCount + Suffix;

    /// <summary>Chooses the tokens of <paramref name="encoding"/> that fit in <paramref name="maxTokenCount"/>.</summary>
    /// <param name="encoding">The full encoding of <paramref name="textLength"/> characters.</param>
    /// <param name="textLength">The length of the encoded text.</param>
    /// <param name="maxTokenCount">The budget, special tokens included.</param>
    /// <param name="fromEnd">Keep the text's last tokens rather than its first.</param>
    public static TokenBudget Fit(Encoding encoding, int textLength, int maxTokenCount, bool fromEnd)
    {
        // The post-processor's tokens have no sequence; the text's tokens (special ones written in the text too) have 0.
        var sequenceIds = encoding.SequenceIds;
        var prefix = 0;
        while (prefix < sequenceIds.Length && sequenceIds[prefix] is null) prefix++;
        var suffix = 0;
        while (suffix < sequenceIds.Length - prefix && sequenceIds[^(suffix + 1)] is null) suffix++;
        var content = encoding.Length - prefix - suffix;

        if (encoding.Length <= maxTokenCount) return new TokenBudget(prefix, prefix, content, suffix, fromEnd ? 0 : textLength);
        var budget = maxTokenCount - prefix - suffix;
        if (budget <= 0) return new TokenBudget(0, prefix, 0, 0, fromEnd ? textLength : 0);

        var offsets = encoding.Offsets.AsSpan(prefix, content);
        return fromEnd ? FitFromEnd(offsets, prefix, suffix, budget, textLength) : FitFromStart(offsets, prefix, suffix, budget);
    }

    private static TokenBudget FitFromStart(ReadOnlySpan<TokenOffset> offsets, int prefix, int suffix, int budget)
    {
        // The first `count` tokens can be kept when none of the tokens left out starts before the kept ones end.
        var laterStart = new int[offsets.Length + 1];
        laterStart[offsets.Length] = int.MaxValue;
        for (var i = offsets.Length - 1; i >= 0; i--) laterStart[i] = Math.Min(laterStart[i + 1], offsets[i].Start);
        int best = 0, bestEnd = 0, end = 0;
        for (var count = 1; count <= budget; count++)
        {
            end = Math.Max(end, offsets[count - 1].End);
            if (laterStart[count] >= end) (best, bestEnd) = (count, end);
        }
        return new TokenBudget(prefix, prefix, best, suffix, bestEnd);
    }

    private static TokenBudget FitFromEnd(ReadOnlySpan<TokenOffset> offsets, int prefix, int suffix, int budget, int textLength)
    {
        // The last `count` tokens can be kept when none of the tokens left out ends after the kept ones start.
        var earlierEnd = new int[offsets.Length + 1];
        for (var i = 0; i < offsets.Length; i++) earlierEnd[i + 1] = Math.Max(earlierEnd[i], offsets[i].End);
        int best = 0, bestStart = textLength, start = textLength;
        for (var count = 1; count <= budget; count++)
        {
            var first = offsets.Length - count;
            start = Math.Min(start, offsets[first].Start);
            if (earlierEnd[first] <= start) (best, bestStart) = (count, start);
        }
        return new TokenBudget(prefix, prefix + offsets.Length - best, best, suffix, bestStart);
    }
}
