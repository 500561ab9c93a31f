using System.Buffers;
using Embeddings.Tokenization.Models;
using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// The added tokens and how they are found in text: first the non-normalized ones in the raw text, then,
/// after normalization, the normalized ones in each remaining piece; leftmost-longest matching, with the
/// single_word / lstrip / rstrip rules of the reference implementation.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Dictionary<string, int> _idsByContent = new(StringComparer.Ordinal);
    private readonly Dictionary<int, AddedToken> _tokensById = [];
    private readonly Dictionary<int, string> _normalizedContent = [];
    private readonly HashSet<string> _specialContents = new(StringComparer.Ordinal);
    private readonly Matcher? _rawMatcher;
    private readonly Matcher? _normalizedMatcher;

    /// <summary>
    /// Registers the tokens in order, as the reference's <c>add_tokens</c> does when a file is loaded: the id
    /// comes from an earlier added token or the model's vocabulary with the same content, else a new id after
    /// the vocabulary. Normalized tokens are matched in their normalized form.
    /// </summary>
    public AddedVocabulary(IEnumerable<AddedToken> tokens, TokenizerModel model, Normalizer? normalizer)
    {
        var nextId = model.VocabularySize;
        foreach (var token in tokens)
        {
            if (token.Content.Length == 0) continue;
            if (_idsByContent.TryGetValue(token.Content, out var existing) && _tokensById[existing] == token with { Id = existing })
                continue;
            var id = _idsByContent.TryGetValue(token.Content, out var known) ? known
                : model.TokenToId(token.Content) is { } inModel ? inModel
                : nextId++;
            var stored = token with { Id = id };
            if (stored.Normalized && normalizer is not null)
            {
                var normalized = Normalize(normalizer, stored.Content);
                if (normalized != stored.Content) _normalizedContent[id] = normalized;
            }
            _idsByContent[stored.Content] = id;
            if (stored.Special) _specialContents.Add(stored.Content);
            _tokensById[id] = stored;
        }
        Tokens = _tokensById.Values.OrderBy(t => t.Id).ToArray();

        var raw = new List<(string, int)>();
        var normalizedPatterns = new List<(string, int)>();
        foreach (var (id, token) in _tokensById)
        {
            if (token.Normalized) normalizedPatterns.Add((_normalizedContent.GetValueOrDefault(id, token.Content), id));
            else raw.Add((token.Content, id));
        }
        _rawMatcher = raw.Count > 0 ? new Matcher(raw) : null;
        _normalizedMatcher = normalizedPatterns.Count > 0 ? new Matcher(normalizedPatterns) : null;
    }

    /// <summary>The added tokens by ascending id.</summary>
    public IReadOnlyList<AddedToken> Tokens { get; }

    /// <summary>Number of distinct added contents.</summary>
    public int Count => _idsByContent.Count;

    public IReadOnlyDictionary<string, int> IdsByContent => _idsByContent;

    public int? TokenToId(string content) => _idsByContent.TryGetValue(content, out var id) ? id : null;

    /// <summary>The token string of an added id (its normalized form for normalized tokens), or null.</summary>
    public string? IdToToken(int id) =>
        _tokensById.TryGetValue(id, out var token) ? _normalizedContent.GetValueOrDefault(id, token.Content) : null;

    public bool IsSpecial(string content) => _specialContents.Contains(content);

    /// <summary>
    /// Whether a non-normalized added token occurs in <paramref name="text"/> (then extraction would split the text;
    /// otherwise it leaves it whole).
    /// </summary>
    public bool HasRawMatch(ReadOnlySpan<char> text)
    {
        if (_rawMatcher is null) return false;
        for (var start = 0; start < text.Length; start++)
        {
            start = _rawMatcher.NextCandidate(text, start);
            if (start < 0) return false;
            if (_rawMatcher.TryMatch(text, start, out _, out _)) return true;
        }
        return false;
    }

    /// <summary>Whether a normalized added token can begin with <paramref name="c"/> (in its normalized form).</summary>
    public bool MayStartNormalizedMatch(char c) => _normalizedMatcher is not null && _normalizedMatcher.CanStartWith(c);

    /// <summary>Length of the longest normalized added token (0 when there is none).</summary>
    public int LongestNormalizedToken => _normalizedMatcher?.LongestPattern ?? 0;

    /// <summary>Whether a normalized added token begins <paramref name="normalized"/> (normalized text).</summary>
    public bool NormalizedMatchAtStart(ReadOnlySpan<char> normalized) =>
        _normalizedMatcher is not null && _normalizedMatcher.TryMatch(normalized, 0, out _, out _);

    /// <summary>Splits out added tokens, normalizing the text between them (the reference's <c>extract_and_normalize</c>).</summary>
    public void ExtractAndNormalize(PreTokenizedString text, Normalizer? normalizer)
    {
        SplitOut(text, _rawMatcher, normalizer: null);
        SplitOut(text, _normalizedMatcher, normalizer);
    }

    private void SplitOut(PreTokenizedString text, Matcher? matcher, Normalizer? normalizer)
    {
        text.BeginSplit();
        for (var i = 0; i < text.Count; i++)
        {
            if (text[i].IsTokenized)
            {
                text.Keep(i);
                continue;
            }
            normalizer?.Normalize(text.Normalized(i));
            var piece = text.Text(i);
            if (matcher is null)
            {
                text.Slice(i, 0, piece.Length);
                continue;
            }
            var last = 0;
            for (var start = 0; start < piece.Length;)
            {
                var candidate = matcher.NextCandidate(piece, start);
                if (candidate < 0) break;
                start = candidate;
                if (!matcher.TryMatch(piece, start, out var end, out var id))
                {
                    start++;
                    continue;
                }
                var token = _tokensById[id];
                var (matchStart, matchEnd) = (start, end);
                start = end;
                if (token.SingleWord)
                {
                    var startSpace = matchStart == 0 || !EndsWithWordChar(piece[..matchStart]);
                    var stopSpace = matchEnd == piece.Length || !StartsWithWordChar(piece[matchEnd..]);
                    if (!startSpace || !stopSpace) continue;
                }
                if (token.LeftStrip) matchStart = Math.Max(TrailingWhitespaceStart(piece[..matchStart]), last);
                if (token.RightStrip) matchEnd += LeadingWhitespaceLength(piece[matchEnd..]);
                if (last < matchStart) text.Slice(i, last, matchStart);
                var slice = text.Slice(i, matchStart, matchEnd);
                var value = piece[matchStart..matchEnd];
                var content = _normalizedContent.GetValueOrDefault(id, token.Content);
                text.SetSingleToken(slice, id, value.SequenceEqual(content) ? content : value.ToString());
                last = matchEnd;
            }
            if (last < piece.Length) text.Slice(i, last, piece.Length);
        }
        text.EndSplit();
    }

    private static string Normalize(Normalizer normalizer, string content)
    {
        var text = new PreTokenizedString();
        text.Reset(content);
        normalizer.Normalize(text.Normalized(0));
        return text.Text(0).ToString();
    }

    private static bool EndsWithWordChar(ReadOnlySpan<char> s) =>
        s.Length > 0 && CharClass.IsWordChar(Utf16.CodePointBefore(s, s.Length, out _));

    private static bool StartsWithWordChar(ReadOnlySpan<char> s) =>
        s.Length > 0 && CharClass.IsWordChar(Utf16.CodePointAt(s, 0, out _));

    private static int TrailingWhitespaceStart(ReadOnlySpan<char> s)
    {
        var i = s.Length;
        while (i > 0 && CharClass.IsWhitespace(s[i - 1])) i--;
        return i;
    }

    private static int LeadingWhitespaceLength(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && CharClass.IsWhitespace(s[i])) i++;
        return i;
    }

    /// <summary>Leftmost-longest matching of a set of strings, as a trie over UTF-16 units.</summary>
    private sealed class Matcher
    {
        private readonly LongKeyMap<int> _children = new();
        private readonly List<int> _ids = [-1];
        private readonly SearchValues<char> _firstChars;

        public Matcher(List<(string Content, int Id)> patterns)
        {
            LongestPattern = patterns.Max(p => p.Content.Length);
            _firstChars = SearchValues.Create(patterns.Where(p => p.Content.Length > 0).Select(p => p.Content[0]).Distinct().ToArray());
            foreach (var (content, id) in patterns)
            {
                if (content.Length == 0) continue;
                var node = 0;
                foreach (var c in content)
                {
                    var key = ((long)node << 16) | c;
                    if (!_children.TryGetValue(key, out var child))
                    {
                        child = _ids.Count;
                        _ids.Add(-1);
                        _children.Set(key, child);
                    }
                    node = child;
                }
                _ids[node] = id;
            }
        }

        public int LongestPattern { get; }

        /// <summary>Whether some pattern begins with <paramref name="c"/>.</summary>
        public bool CanStartWith(char c) => _firstChars.Contains(c);

        /// <summary>The first position from <paramref name="start"/> where a pattern could begin, or -1.</summary>
        public int NextCandidate(ReadOnlySpan<char> text, int start)
        {
            var at = text[start..].IndexOfAny(_firstChars);
            return at < 0 ? -1 : start + at;
        }

        /// <summary>The longest pattern starting at <paramref name="start"/>, if any.</summary>
        public bool TryMatch(ReadOnlySpan<char> text, int start, out int end, out int id)
        {
            end = -1;
            id = -1;
            var node = 0;
            for (var i = start; i < text.Length; i++)
            {
                if (!_children.TryGetValue(((long)node << 16) | text[i], out node)) break;
                if (_ids[node] >= 0)
                {
                    end = i + 1;
                    id = _ids[node];
                }
            }
            return end > 0;
        }
    }
}
