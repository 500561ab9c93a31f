namespace Embeddings.Chunking;

/// <summary>A model-sized slice of a long document's tokens: [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>).</summary>
/// <param name="Start">First document token.</param>
/// <param name="Length">Tokens in the window.</param>
internal readonly record struct MacroWindow(int Start, int Length)
{
    /// <summary>One past the last document token.</summary>
    public int End => Start + Length;
}

/// <summary>
/// Long late chunking: a document longer than the model's window is covered by overlapping windows, and
/// each token takes its vector from the window where it has the most context on both sides.
/// </summary>
internal static class MacroWindows
{
    /// <summary>Covers <paramref name="tokenCount"/> tokens with windows of at most <paramref name="windowLength"/>,
    /// consecutive windows sharing <paramref name="overlap"/> tokens; the last window ends at the last token.</summary>
    /// <param name="tokenCount">Document tokens (special tokens excluded).</param>
    /// <param name="windowLength">Content tokens per window (the model limit minus its special tokens).</param>
    /// <param name="overlap">Tokens shared by consecutive windows, less than <paramref name="windowLength"/>.</param>
    public static MacroWindow[] Plan(int tokenCount, int windowLength, int overlap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlap, windowLength);
        if (tokenCount <= windowLength) return [new MacroWindow(0, tokenCount)];
        int step = windowLength - overlap;
        var windows = new List<MacroWindow>();
        for (int start = 0; ; start += step)
        {
            if (start + windowLength >= tokenCount)
            {
                windows.Add(new MacroWindow(tokenCount - windowLength, windowLength));
                break;
            }
            windows.Add(new MacroWindow(start, windowLength));
        }
        return windows.ToArray();
    }

    /// <summary>For each document token, the window it takes its vector from: the one maximising
    /// min(tokens before it, tokens after it) inside the window (earliest on ties).</summary>
    /// <param name="tokenCount">Document tokens.</param>
    /// <param name="windows">Windows from <see cref="Plan"/>.</param>
    public static int[] Assign(int tokenCount, IReadOnlyList<MacroWindow> windows)
    {
        var owner = new int[tokenCount];
        for (int p = 0; p < tokenCount; p++)
        {
            int best = -1, bestContext = -1;
            for (int w = 0; w < windows.Count; w++)
            {
                var window = windows[w];
                if (p < window.Start || p >= window.End) continue;
                int context = Math.Min(p - window.Start, window.End - 1 - p);
                if (context > bestContext) { best = w; bestContext = context; }
            }
            if (best < 0) throw new ArgumentException($"token {p} lies in no window.", nameof(windows));
            owner[p] = best;
        }
        return owner;
    }
}
