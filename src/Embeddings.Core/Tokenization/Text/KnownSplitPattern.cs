namespace Embeddings.Tokenization.Text;

/// <summary>
/// Hand-written matchers for the splitting expressions byte-level BPE tokenizers use, with the semantics
/// Oniguruma gives them (leftmost-first alternation, greedy repetition with backtracking, Unicode classes
/// over code points). Every character is matched by one of their alternatives, so the matches tile the text.
/// </summary>
internal sealed class KnownSplitPattern : TextPattern
{
    /// <summary>GPT-2's expression (also the ByteLevel pre-tokenizer's built-in one).</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2's expression (cl100k's with single digits).</summary>
    public const string Qwen2 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>cl100k's expression, also used by Llama 3 (digits in groups of up to three).</summary>
    public const string Cl100k = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private readonly string _source;
    private readonly bool _gpt2;
    private readonly int _maxDigits;

    private KnownSplitPattern(string source, bool gpt2, int maxDigits)
    {
        _source = source;
        _gpt2 = gpt2;
        _maxDigits = maxDigits;
    }

    /// <summary>The GPT-2 matcher.</summary>
    public static KnownSplitPattern Gpt2Pattern { get; } = new(Gpt2, true, int.MaxValue);

    /// <summary>A matcher for <paramref name="pattern"/> if it is one of the known expressions.</summary>
    public static KnownSplitPattern? TryCreate(string pattern) => pattern switch
    {
        Gpt2 => Gpt2Pattern,
        Qwen2 => new KnownSplitPattern(pattern, false, 1),
        Cl100k => new KnownSplitPattern(pattern, false, 3),
        _ => null,
    };

    public override string Source => _source;

    public override void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches)
    {
        for (var i = 0; i < text.Length;)
        {
            var end = _gpt2 ? MatchGpt2(text, i) : MatchCl100k(text, i);
            matches.Add((i, end));
            i = end;
        }
    }

    private static int MatchGpt2(ReadOnlySpan<char> t, int i)
    {
        if (t[i] == '\'' && Contraction(t, i, ignoreCase: false) is > 0 and var n) return i + n;
        var c = Utf16.CodePointAt(t, i, out _);
        if (c == ' ' && i + 1 < t.Length)
        {
            var next = Utf16.CodePointAt(t, i + 1, out _);
            if (CharClass.IsLetter(next)) return RunOf(t, i + 1, Kind.Letter);
            if (CharClass.IsNumber(next)) return RunOf(t, i + 1, Kind.Number);
            if (IsOther(next)) return RunOf(t, i + 1, Kind.Other);
        }
        if (CharClass.IsLetter(c)) return RunOf(t, i, Kind.Letter);
        if (CharClass.IsNumber(c)) return RunOf(t, i, Kind.Number);
        if (IsOther(c)) return RunOf(t, i, Kind.Other);
        return Whitespace(t, i);
    }

    private int MatchCl100k(ReadOnlySpan<char> t, int i)
    {
        if (t[i] == '\'' && Contraction(t, i, ignoreCase: true) is > 0 and var n) return i + n;
        var c = Utf16.CodePointAt(t, i, out var len);

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (CharClass.IsLetter(c)) return RunOf(t, i, Kind.Letter);
        if (c is not ('\r' or '\n') && !CharClass.IsNumber(c) && i + len < t.Length
            && CharClass.IsLetter(Utf16.CodePointAt(t, i + len, out _)))
            return RunOf(t, i + len, Kind.Letter);

        // \p{N}{1,max}
        if (CharClass.IsNumber(c))
        {
            var end = i;
            for (var k = 0; k < _maxDigits && end < t.Length; k++)
            {
                var d = Utf16.CodePointAt(t, end, out var dl);
                if (!CharClass.IsNumber(d)) break;
                end += dl;
            }
            return end;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var otherStart = -1;
        if (c == ' ' && i + 1 < t.Length && IsOther(Utf16.CodePointAt(t, i + 1, out _))) otherStart = i + 1;
        else if (IsOther(c)) otherStart = i;
        if (otherStart >= 0)
        {
            var end = RunOf(t, otherStart, Kind.Other);
            while (end < t.Length && t[end] is '\r' or '\n') end++;
            return end;
        }

        // \s*[\r\n]+ : up to and including the last line break of the whitespace run.
        var runEnd = i;
        var lastBreak = -1;
        while (runEnd < t.Length && CharClass.IsWhitespace(t[runEnd]))
        {
            if (t[runEnd] is '\r' or '\n') lastBreak = runEnd;
            runEnd++;
        }
        if (lastBreak >= 0) return lastBreak + 1;
        return Whitespace(t, i);
    }

    // \s+(?!\S)|\s+ starting at a whitespace character.
    private static int Whitespace(ReadOnlySpan<char> t, int i)
    {
        var end = i;
        while (end < t.Length && CharClass.IsWhitespace(t[end])) end++;
        // Every other character is taken by an earlier alternative; this only guarantees progress.
        if (end == i) return i + (char.IsSurrogatePair(t[i], i + 1 < t.Length ? t[i + 1] : '\0') ? 2 : 1);
        if (end == t.Length || end - i == 1) return end;
        return end - 1;
    }

    // 's 't 're 've 'm 'll 'd (Oniguruma folds U+017F LATIN SMALL LETTER LONG S to 's' when ignoring case).
    private static int Contraction(ReadOnlySpan<char> t, int i, bool ignoreCase)
    {
        if (i + 1 >= t.Length) return 0;
        var a = Fold(t[i + 1], ignoreCase);
        if (a is 's' or 't' or 'm' or 'd') return 2;
        if (i + 2 >= t.Length) return 0;
        var b = Fold(t[i + 2], ignoreCase);
        return (a, b) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 3 : 0;
    }

    private static char Fold(char c, bool ignoreCase)
    {
        if (!ignoreCase) return c;
        if (c == '\u017F') return 's';
        return c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
    }

    private enum Kind { Letter, Number, Other }

    private static bool IsOther(int c) => !CharClass.IsWhitespace(c) && !CharClass.IsLetter(c) && !CharClass.IsNumber(c);

    private static int RunOf(ReadOnlySpan<char> t, int i, Kind kind)
    {
        while (i < t.Length)
        {
            var c = Utf16.CodePointAt(t, i, out var len);
            var ok = kind switch
            {
                Kind.Letter => CharClass.IsLetter(c),
                Kind.Number => CharClass.IsNumber(c),
                _ => IsOther(c),
            };
            if (!ok) break;
            i += len;
        }
        return i;
    }
}
