using System.Text.RegularExpressions;
using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.Text;

/// <summary>
/// A pattern searched in normalized text by Split pre-tokenizers and Replace normalizers/decoders:
/// a literal string, or a regular expression with the reference implementation's (Oniguruma) semantics.
/// </summary>
internal abstract class TextPattern
{
    /// <summary>The pattern as written in the tokenizer file.</summary>
    public abstract string Source { get; }

    /// <summary>Appends the non-overlapping matches in <paramref name="text"/>, leftmost first.</summary>
    public abstract void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches);

    /// <summary>Reads <c>{"String": "..."}</c> or <c>{"Regex": "..."}</c>.</summary>
    public static TextPattern FromJson(JsonNode json)
    {
        if (json.Member("String") is { } literal) return new LiteralPattern(literal.AsString());
        if (json.Member("Regex") is { } regex) return FromRegex(regex.AsString(), regex);
        throw json.Error("expected a pattern object with a 'String' or 'Regex' member");
    }

    /// <summary>
    /// A regular expression. The splitting expressions of GPT-2, Qwen/cl100k and Llama 3 are matched by
    /// hand-written code over code points (exact for every character, including those outside the BMP);
    /// any other expression runs on .NET's engine.
    /// </summary>
    public static TextPattern FromRegex(string pattern, JsonNode where)
    {
        if (KnownSplitPattern.TryCreate(pattern) is { } known) return known;
        try
        {
            return new RegexPattern(pattern);
        }
        catch (ArgumentException e)
        {
            throw where.Error($"invalid regular expression \"{pattern}\": {e.Message}", e);
        }
    }

    /// <summary>
    /// Splits <paramref name="text"/> into (start, end, isMatch) segments covering it, as the reference's
    /// <c>find_matches</c>: the empty text gives one empty non-match segment.
    /// </summary>
    public void Segment(ReadOnlySpan<char> text, List<(int Start, int End)> scratch, List<(int Start, int End, bool IsMatch)> segments)
    {
        segments.Clear();
        if (text.IsEmpty)
        {
            segments.Add((0, 0, false));
            return;
        }
        scratch.Clear();
        FindMatches(text, scratch);
        var previous = 0;
        foreach (var (start, end) in scratch)
        {
            if (previous != start) segments.Add((previous, start, false));
            segments.Add((start, end, true));
            previous = end;
        }
        if (previous != text.Length) segments.Add((previous, text.Length, false));
    }
}

/// <summary>A literal string pattern.</summary>
internal sealed class LiteralPattern(string literal) : TextPattern
{
    public override string Source => literal;

    public override void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches)
    {
        if (literal.Length == 0) return;
        var from = 0;
        while (from <= text.Length - literal.Length)
        {
            var at = text[from..].IndexOf(literal, StringComparison.Ordinal);
            if (at < 0) break;
            matches.Add((from + at, from + at + literal.Length));
            from += at + literal.Length;
        }
    }
}

/// <summary>
/// A regular expression run on .NET's engine. Empty matches directly after a previous match are skipped, as
/// Oniguruma's iterator does. Character classes such as <c>\p{L}</c> only see BMP characters here.
/// </summary>
internal sealed class RegexPattern(string pattern) : TextPattern
{
    private readonly Regex _regex = new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));

    public override string Source => pattern;

    public override void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches)
    {
        var lastEnd = -1;
        foreach (var m in _regex.EnumerateMatches(text))
        {
            if (m.Length == 0 && m.Index == lastEnd) continue;
            matches.Add((m.Index, m.Index + m.Length));
            lastEnd = m.Index + m.Length;
        }
    }
}
