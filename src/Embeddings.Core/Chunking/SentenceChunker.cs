using System.Globalization;

namespace Embeddings.Chunking;

/// <summary>
/// Chunks a document into sentences, in many scripts: Latin-style <c>. ! ?</c> followed by white space,
/// CJK full-width <c>。！？</c> (no space needed), Arabic <c>؟ ۔</c>, Devanagari <c>। ॥</c>, Armenian,
/// Ethiopic, Myanmar, Khmer and Tibetan stops, ellipses, and blank lines. Closing quotes and brackets stay
/// with their sentence. A period after a common abbreviation or an initial, or followed by a lower-case
/// word, does not end a sentence. Spans are trimmed of surrounding white space, so they never overlap and
/// the gaps between them are white space only.
/// </summary>
public sealed class SentenceChunker : IChunker
{
    /// <summary>A shared instance (the chunker has no state).</summary>
    public static SentenceChunker Instance { get; } = new();

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "fig", "no", "vol", "approx",
        "inc", "ltd", "co", "corp", "dept", "est", "mt", "gen", "col", "lt", "sgt", "rev", "hon", "z.b", "bzw", "usw", "ca", "nr",
    };

    /// <inheritdoc/>
    public bool TilesText => false;

    /// <inheritdoc/>
    public IReadOnlyList<ChunkSpan> Chunk(string text, IReadOnlyList<ChunkSpan> tokenOffsets)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<ChunkSpan>();
        int start = 0;
        int i = 0;
        while (i < text.Length)
        {
            int end = SentenceEndAt(text, i);
            if (end > 0)
            {
                AddTrimmed(text, start, end, spans);
                start = end;
                i = end;
            }
            else i++;
        }
        AddTrimmed(text, start, text.Length, spans);
        return spans;
    }

    /// <summary>If a sentence ends at position <paramref name="i"/>, the index just past it (closers included); else 0.</summary>
    private static int SentenceEndAt(string text, int i)
    {
        char c = text[i];
        if (c == '\n' && IsBlankLine(text, i)) return i + 1;
        if (IsWideTerminator(c))
            return SkipClosers(text, SkipRun(text, i));
        if (c is '.' or '!' or '?' or '\u2026' or '\u203C' or '\u2047' or '\u2048' or '\u2049')
        {
            int after = SkipClosers(text, SkipRun(text, i));
            if (after < text.Length && !char.IsWhiteSpace(text[after])) return 0;
            if (c == '.' && !IsSentencePeriod(text, i, after)) return 0;
            return after;
        }
        return 0;
    }

    private static bool IsWideTerminator(char c) => c is
        '\u3002' or '\uFF0E' or '\uFF61' or '\uFF01' or '\uFF1F' // CJK full stops, exclamation, question
        or '\u061F' or '\u06D4' // Arabic question mark and full stop
        or '\u0964' or '\u0965' // Devanagari danda, double danda
        or '\u0589' or '\u1362' or '\u104B' or '\u17D4' or '\u0F0D'; // Armenian, Ethiopic, Myanmar, Khmer, Tibetan

    // Runs like "?!", "..." or "。。" end one sentence together.
    private static int SkipRun(string text, int i)
    {
        int j = i + 1;
        while (j < text.Length && (text[j] is '.' or '!' or '?' or '\u2026' || IsWideTerminator(text[j]))) j++;
        return j;
    }

    private static int SkipClosers(string text, int j)
    {
        while (j < text.Length && CharUnicodeInfo.GetUnicodeCategory(text[j]) is UnicodeCategory.ClosePunctuation
                   or UnicodeCategory.FinalQuotePunctuation || (j < text.Length && text[j] is '"' or '\'' or '\u300D' or '\u300F'))
            j++;
        return j;
    }

    private static bool IsBlankLine(string text, int i)
    {
        for (int j = i + 1; j < text.Length; j++)
        {
            if (text[j] == '\n') return true;
            if (!char.IsWhiteSpace(text[j])) return false;
        }
        return false;
    }

    // "Dr. Smith", "J. R. R. Tolkien", "e.g. this", "3. item" are not sentence ends.
    private static bool IsSentencePeriod(string text, int period, int after)
    {
        int wordStart = period;
        while (wordStart > 0 && (char.IsLetterOrDigit(text[wordStart - 1]) || text[wordStart - 1] == '.')) wordStart--;
        string word = text[wordStart..period];
        if (word.Length == 1 && char.IsLetter(word[0])) return false; // an initial
        if (Abbreviations.Contains(word)) return false;
        int next = after;
        while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
        if (next < text.Length && char.IsLower(text[next])) return false;
        return true;
    }

    private static void AddTrimmed(string text, int start, int end, List<ChunkSpan> spans)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) spans.Add(new ChunkSpan(start, end));
    }
}
