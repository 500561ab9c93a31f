namespace Embeddings.Chunking;

/// <summary>Maps chunk spans (characters) to the tokens they contain.</summary>
internal static class ChunkTokens
{
    /// <summary>
    /// For each chunk, the indexes of the tokens whose span lies inside it, after trimming white space from
    /// the token's span (byte-level tokenizers fold the preceding space into a token's offsets). Tokens
    /// that cover only white space or no characters belong to no chunk.
    /// </summary>
    /// <param name="text">The document.</param>
    /// <param name="tokens">Token spans, in document order (special tokens excluded).</param>
    /// <param name="chunks">Chunk spans.</param>
    public static List<int>[] Map(string text, IReadOnlyList<ChunkSpan> tokens, IReadOnlyList<ChunkSpan> chunks)
    {
        var result = new List<int>[chunks.Count];
        for (int c = 0; c < chunks.Count; c++) result[c] = [];
        // Chunks sorted by start let each token find its candidates by binary search; most chunkers
        // give them sorted already.
        var order = Enumerable.Range(0, chunks.Count).OrderBy(c => chunks[c].Start).ToArray();
        var starts = order.Select(c => chunks[c].Start).ToArray();
        bool overlapping = HasOverlaps(chunks);
        for (int t = 0; t < tokens.Count; t++)
        {
            var token = Trim(text, tokens[t]);
            if (token.Length <= 0) continue;
            int upper = UpperBound(starts, token.Start); // chunks starting at or before the token
            // Without overlaps only the last chunk starting at or before the token can hold it.
            for (int k = upper - 1; k >= (overlapping ? 0 : upper - 1) && k >= 0; k--)
            {
                var chunk = chunks[order[k]];
                if (chunk.End >= token.End) result[order[k]].Add(t);
            }
        }
        foreach (var list in result) list.Sort();
        return result;
    }

    private static ChunkSpan Trim(string text, ChunkSpan span)
    {
        int start = Math.Clamp(span.Start, 0, text.Length), end = Math.Clamp(span.End, start, text.Length);
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return new ChunkSpan(start, end);
    }

    private static int UpperBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static bool HasOverlaps(IReadOnlyList<ChunkSpan> chunks)
    {
        var sorted = chunks.OrderBy(c => c.Start).ToArray();
        for (int i = 1; i < sorted.Length; i++) if (sorted[i].Start < sorted[i - 1].End) return true;
        return false;
    }
}
