using Embeddings.Tokenization;
using Embeddings.Tokenization.Models;
using MLTokenizer = Microsoft.ML.Tokenizers.Tokenizer;

namespace Embeddings.Tokenizers;

/// <summary>
/// The model stage of a library tokenizer delegated to a Microsoft.ML.Tokenizers tokenizer: each piece of text goes
/// to it whole (its own normalization and pre-tokenization included) and its tokens come back with their offsets.
/// </summary>
/// <remarks>
/// Vocabulary look-ups know the special tokens plus the vocabulary handed in (when the tokenizer exposes one);
/// Microsoft.ML.Tokenizers has no general id-to-token map.
/// </remarks>
internal sealed class MLTokenizerModel : TokenizerModel
{
    private readonly MLTokenizer _tokenizer;
    private readonly Dictionary<string, int> _idsByToken;
    private readonly Dictionary<int, string> _tokensById;

    public MLTokenizerModel(MLTokenizer tokenizer, IReadOnlyDictionary<string, int>? vocabulary, IEnumerable<SpecialToken> specialTokens)
    {
        _tokenizer = tokenizer;
        _idsByToken = vocabulary is null ? new(StringComparer.Ordinal) : new(vocabulary, StringComparer.Ordinal);
        foreach (var special in specialTokens) _idsByToken[special.Token] = special.Id;
        _tokensById = new Dictionary<int, string>(_idsByToken.Count);
        foreach (var (token, id) in _idsByToken) _tokensById.TryAdd(id, token);
        VocabularySize = _idsByToken.Count == 0 ? 0 : Math.Max(_idsByToken.Count, _tokensById.Keys.Max() + 1);
    }

    public override void Tokenize(ReadOnlySpan<char> text, TokenList output)
    {
        if (text.IsEmpty) return;
        var tokens = _tokenizer.EncodeToTokens(text, out _);
        foreach (var token in tokens)
        {
            // Offsets are the tokenizer's own: into its normalized text when it normalizes. Clamped to the piece so
            // the library's alignment to the original text stays in range.
            var from = Math.Clamp(token.Offset.Start.Value, 0, text.Length);
            var to = Math.Clamp(token.Offset.End.Value, from, text.Length);
            output.Add(token.Id, from, to, token.Value);
        }
    }

    public override int? TokenToId(ReadOnlySpan<char> token) =>
        _idsByToken.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var id) ? id : null;

    public override string? IdToToken(int id) => _tokensById.TryGetValue(id, out var token) ? token : null;

    public override int VocabularySize { get; }
}
