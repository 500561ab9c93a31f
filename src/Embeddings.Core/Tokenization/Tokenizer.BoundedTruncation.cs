using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization;

// Truncation that costs what it keeps. Normalizing and pre-tokenizing a whole text costs tens of bytes per
// character (the arena holds every transformation with two alignments per unit), so a 28 MB text truncated to
// 512 tokens used to cost gigabytes. With truncation, a long text is instead processed through a window at the end
// it keeps (its start for right truncation, its end for left), doubled until the window holds the kept pieces
// with room to spare, and processed whole only when no window does.
//
// Why a window gives the whole text's answer: normalizers, added-token extraction and pre-tokenizers decide each
// unit from a bounded neighbourhood (a combining sequence, a whitespace run, a regex match and its one-character
// lookahead), and a window cut shows up in the alignment of whatever it touches (a collapsed whitespace run or a
// composed character stretches to the cut). So the pieces that end (right) or start (left) at least a margin away
// from the cut are the whole text's pieces, and each piece is tokenized on its own. A window is accepted only
// when the kept pieces, and the next piece that tells the reference dropped something, all lie clear of the
// margin; otherwise it grows. The tests compare this path with the whole-text path on every fixture tokenizer.
public sealed partial class Tokenizer
{
    // Texts up to this many UTF-16 units take the whole-text path: it costs a few MB at most and needs no window.
    private const int WindowedMinimumLength = 1 << 16;

    // The first window, and the part of every window next to its cut whose pieces are not trusted.
    private const int MinimumWindow = 1 << 13;
    private const int WindowUnitsPerToken = 16;

    // Beyond this window the text has no usable piece boundary near its kept end (one word of megabytes): the
    // whole-text path is cheaper than windows growing towards it.
    private const int MaximumWindow = 1 << 22;

    /// <summary>
    /// Fills <paramref name="s"/> with the pieces the reference keeps for <paramref name="text"/> under a token
    /// <paramref name="limit"/> (-1: none), tokenized, with alignments into <paramref name="text"/>. Returns whether
    /// pieces were dropped by the limit.
    /// </summary>
    private bool PrepareSequence(PreTokenizedString s, ReadOnlySpan<char> text, int limit, SequenceSide direction, bool windowed)
    {
        if (windowed && limit >= 0 && text.Length > WindowedMinimumLength)
        {
            var window = (long)Math.Max(MinimumWindow, (limit + 1L) * WindowUnitsPerToken);
            for (; window < text.Length && window <= Math.Max(MaximumWindow, 4L * (limit + 1) * WindowUnitsPerToken); window *= 2)
                if (TryWindow(s, text, limit, direction, (int)window, out var windowDropped)) return windowDropped;
        }
        s.Reset(text);
        _added.ExtractAndNormalize(s, _normalizer);
        _preTokenizer?.PreTokenize(s);
        return TokenizePieces(s, limit, direction);
    }

    // Processes the window of `window` units at the kept end of the text; keeps its pieces and returns true when
    // they are certainly the whole text's (see the file comment), false when a larger window is needed.
    private bool TryWindow(PreTokenizedString s, ReadOnlySpan<char> text, int limit, SequenceSide direction, int window, out bool dropped)
    {
        dropped = false;
        var margin = window / 4;
        int start, end;
        if (direction == SequenceSide.Right)
        {
            start = 0;
            end = window;
            if (char.IsHighSurrogate(text[end - 1]) && char.IsLowSurrogate(text[end])) end--;
        }
        else
        {
            end = text.Length;
            start = text.Length - window;
            if (char.IsLowSurrogate(text[start]) && char.IsHighSurrogate(text[start - 1])) start++;
        }

        s.Reset(text[start..end], start);
        _added.ExtractAndNormalize(s, _normalizer);
        _preTokenizer?.PreTokenize(s);
        var (from, to, tokens) = TokenizeUpToLimit(s, limit, direction);
        if (from >= to) return false;
        if (tokens < limit) return TryKeepHugeWord(s, text, limit, direction, start, end, margin, from, to, tokens, out dropped);

        if (direction == SequenceSide.Right)
        {
            // The kept pieces end, and the next piece (proof that the limit dropped something) starts, before the margin.
            var safeEnd = end - margin;
            ref var last = ref s[to - 1];
            if (last.Shift + last.OriginalLength > safeEnd || to == s.Count || s[to].Shift >= safeEnd)
                return TryKeepHugeWord(s, text, limit, direction, start, end, margin, from, to, tokens, out dropped);
            dropped = true;
        }
        else
        {
            var safeStart = start + margin;
            if (s[from].Shift < safeStart || from == 0 || s[from - 1].Shift < safeStart)
                return TryKeepHugeWord(s, text, limit, direction, start, end, margin, from, to, tokens, out dropped);
            dropped = true;
        }
        s.KeepRange(from, to);
        return true;
    }
}
