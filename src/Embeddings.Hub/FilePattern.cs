namespace Embeddings.Hub;

/// <summary>
/// A file pattern as huggingface_hub's <c>allow_patterns</c> read it (<c>fnmatch.fnmatchcase</c>):
/// <c>*</c> matches any run of characters including '/', <c>?</c> one character, <c>[abc]</c>, <c>[a-z]</c>
/// and <c>[!abc]</c> one character of (or not of) a set; case-sensitive; a pattern ending in '/' means
/// everything under that folder. A pattern without wildcards is a plain file name.
/// </summary>
internal sealed class FilePattern
{
    private FilePattern(string text, bool isLiteral)
    {
        Text = text;
        IsLiteral = isLiteral;
    }

    /// <summary>The pattern as matched (with '*' added after a trailing '/').</summary>
    public string Text { get; }

    /// <summary>True when the pattern has no wildcard: it names exactly one file.</summary>
    public bool IsLiteral { get; }

    /// <summary>Reads a pattern; a literal one must be a valid file name.</summary>
    /// <exception cref="ArgumentException">Empty, or a literal name that is not a safe relative path.</exception>
    public static FilePattern Parse(string pattern, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern, paramName);
        if (pattern.EndsWith('/')) pattern += "*";
        var isLiteral = pattern.AsSpan().IndexOfAny("*?[") < 0;
        if (isLiteral) HubNames.ValidateFileName(pattern, paramName);
        return new FilePattern(pattern, isLiteral);
    }

    /// <summary>True when <paramref name="path"/> matches the whole pattern.</summary>
    public bool IsMatch(string path)
    {
        if (IsLiteral) return string.Equals(Text, path, StringComparison.Ordinal);
        var pattern = Text.AsSpan();
        var text = path.AsSpan();
        int p = 0, t = 0;
        // Where to resume after the most recent '*': the pattern position after it, and the text position it has absorbed up to.
        int starPattern = -1, starText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starPattern = ++p;
                starText = t;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
                continue;
            }
            if (starPattern < 0) return false;
            p = starPattern;
            t = ++starText;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    // Matches one pattern element at p against c; on success moves p past the element.
    private static bool MatchOne(ReadOnlySpan<char> pattern, ref int p, char c)
    {
        switch (pattern[p])
        {
            case '?':
                p++;
                return true;
            case '[' when TryReadSet(pattern, p, out var setEnd):
                var matched = SetContains(pattern[(p + 1)..setEnd], c);
                if (!matched) return false;
                p = setEnd + 1;
                return true;
            default:
                if (pattern[p] != c) return false;
                p++;
                return true;
        }
    }

    // fnmatch: a ']' right after '[' or '[!' is a member; without a closing ']' the '[' is an ordinary character.
    private static bool TryReadSet(ReadOnlySpan<char> pattern, int open, out int close)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '!') i++;
        if (i < pattern.Length && pattern[i] == ']') i++;
        close = pattern[i..].IndexOf(']');
        if (close < 0) return false;
        close += i;
        return true;
    }

    private static bool SetContains(ReadOnlySpan<char> set, char c)
    {
        var negate = set.Length > 0 && set[0] == '!';
        if (negate) set = set[1..];
        var found = false;
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (c >= set[i] && c <= set[i + 2]) found = true;
                i += 2;
            }
            else if (set[i] == c)
            {
                found = true;
            }
        }
        return found != negate;
    }
}
