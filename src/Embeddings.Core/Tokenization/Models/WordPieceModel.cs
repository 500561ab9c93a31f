using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Models;

/// <summary>
/// WordPiece: greedy longest-match-first segmentation of each word into vocabulary entries, continuation
/// pieces carrying a prefix (usually <c>##</c>). A word longer than <c>max_input_chars_per_word</c>
/// characters, or one that cannot be segmented, becomes the unknown token.
/// </summary>
internal sealed class WordPieceModel : TokenizerModel
{
    private readonly Vocabulary _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _unkId;
    private readonly int _longestToken;

    public WordPieceModel(Vocabulary vocabulary, string unkToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        _vocabulary = vocabulary;
        UnkToken = unkToken;
        ContinuingSubwordPrefix = continuingSubwordPrefix;
        MaxInputCharsPerWord = maxInputCharsPerWord;
        if (!vocabulary.TryGetId(unkToken, out _unkId))
            throw new ArgumentException($"the unknown token '{unkToken}' is not in the vocabulary", nameof(unkToken));

        // Continuation pieces are looked up without their prefix, so no string is built per lookup.
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocabulary.Entries)
            if (token.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal))
                continuations[token[continuingSubwordPrefix.Length..]] = id;
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var token in vocabulary.Entries.Keys) _longestToken = Math.Max(_longestToken, token.Length);
        foreach (var token in continuations.Keys) _longestToken = Math.Max(_longestToken, token.Length);
    }

    public string UnkToken { get; }
    public int UnkId => _unkId;
    public Vocabulary Vocabulary => _vocabulary;
    public string ContinuingSubwordPrefix { get; }
    public int MaxInputCharsPerWord { get; }

    public override int VocabularySize => _vocabulary.Count;

    public override int? TokenToId(ReadOnlySpan<char> token) => _vocabulary.TryGetId(token, out var id) ? id : null;

    public override string? IdToToken(int id) => _vocabulary.Token(id);

    public override void Tokenize(ReadOnlySpan<char> text, TokenList output)
    {
        if (text.IsEmpty) return;
        if (text.Length > MaxInputCharsPerWord && Utf16.CountCodePoints(text) > MaxInputCharsPerWord)
        {
            output.Add(_unkId, 0, text.Length, UnkToken);
            return;
        }
        var first = output.Count;
        var start = 0;
        while (start < text.Length)
        {
            // No vocabulary entry is longer than the longest one, so the search starts at that length.
            var end = Math.Min(text.Length, start + _longestToken);
            if (end < text.Length && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1])) end--;
            var found = false;
            while (start < end)
            {
                var piece = text[start..end];
                int id;
                string? value = null;
                var hit = start == 0
                    ? _vocabulary.TryGetId(piece, out value!, out id)
                    : _continuations.TryGetValue(piece, out id);
                if (hit)
                {
                    output.Add(id, start, end, value);
                    found = true;
                    break;
                }
                end -= char.IsLowSurrogate(text[end - 1]) && end - 1 > start && char.IsHighSurrogate(text[end - 2]) ? 2 : 1;
            }
            if (!found)
            {
                output.Truncate(first);
                output.Add(_unkId, 0, text.Length, UnkToken);
                return;
            }
            start = end;
        }
    }
}
