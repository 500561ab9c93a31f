using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>Produces the (start, end, isMatch) segments that tile a piece of text.</summary>
internal delegate void Segmenter(ReadOnlySpan<char> text, List<(int Start, int End, bool IsMatch)> segments);

/// <summary>
/// Splits every untokenized piece by a segmenter and a <see cref="SplitBehavior"/>, as the reference's
/// <c>NormalizedString::split</c>; empty results are dropped.
/// </summary>
internal static class Splitter
{
    [ThreadStatic] private static List<(int Start, int End, bool IsMatch)>? t_segments;
    [ThreadStatic] private static List<(int Start, int End)>? t_kept;

    public static void Split(PreTokenizedString text, SplitBehavior behavior, Segmenter segmenter)
    {
        var segments = t_segments ??= [];
        var kept = t_kept ??= [];
        text.BeginSplit();
        for (var i = 0; i < text.Count; i++)
        {
            if (text[i].IsTokenized)
            {
                text.Keep(i);
                continue;
            }
            segments.Clear();
            segmenter(text.Text(i), segments);
            Apply(segments, behavior, kept);
            foreach (var (start, end) in kept) text.Slice(i, start, end);
        }
        text.EndSplit();
    }

    /// <summary>Segments where each character satisfying <paramref name="isDelimiter"/> is a match of its own.</summary>
    public static void ByCharacter(ReadOnlySpan<char> text, Func<int, bool> isDelimiter, List<(int Start, int End, bool IsMatch)> segments)
    {
        if (text.IsEmpty)
        {
            segments.Add((0, 0, false));
            return;
        }
        var last = 0;
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            if (isDelimiter(c))
            {
                if (last < i) segments.Add((last, i, false));
                segments.Add((i, i + len, true));
                last = i + len;
            }
            i += len;
        }
        if (last < text.Length) segments.Add((last, text.Length, false));
    }

    /// <summary>Turns segments into the ranges to keep for a behavior.</summary>
    public static void Apply(List<(int Start, int End, bool IsMatch)> segments, SplitBehavior behavior, List<(int Start, int End)> kept)
    {
        kept.Clear();
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var (s, e, _) in segments) kept.Add((s, e));
                break;
            case SplitBehavior.Removed:
                foreach (var (s, e, m) in segments)
                    if (!m) kept.Add((s, e));
                break;
            case SplitBehavior.Contiguous:
            {
                var previous = false;
                foreach (var (s, e, m) in segments)
                {
                    if (m == previous && kept.Count > 0) kept[^1] = (kept[^1].Start, e);
                    else kept.Add((s, e));
                    previous = m;
                }
                break;
            }
            case SplitBehavior.MergedWithPrevious:
            {
                var previous = false;
                foreach (var (s, e, m) in segments)
                {
                    if (m && !previous && kept.Count > 0) kept[^1] = (kept[^1].Start, e);
                    else kept.Add((s, e));
                    previous = m;
                }
                break;
            }
            case SplitBehavior.MergedWithNext:
            {
                var previous = false;
                for (var k = segments.Count - 1; k >= 0; k--)
                {
                    var (s, e, m) = segments[k];
                    if (m && !previous && kept.Count > 0) kept[^1] = (s, kept[^1].End);
                    else kept.Add((s, e));
                    previous = m;
                }
                kept.Reverse();
                break;
            }
        }
    }
}
