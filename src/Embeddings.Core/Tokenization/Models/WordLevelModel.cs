namespace Embeddings.Tokenization.Models;

/// <summary>WordLevel: each piece is looked up whole; unknown pieces become the unknown token.</summary>
internal sealed class WordLevelModel : TokenizerModel
{
    private readonly Vocabulary _vocabulary;
    private readonly int _unkId = -1;

    public WordLevelModel(Vocabulary vocabulary, string unkToken)
    {
        _vocabulary = vocabulary;
        UnkToken = unkToken;
        if (vocabulary.TryGetId(unkToken, out var id)) _unkId = id;
    }

    public string UnkToken { get; }

    public override int VocabularySize => _vocabulary.Count;

    public override int? TokenToId(ReadOnlySpan<char> token) => _vocabulary.TryGetId(token, out var id) ? id : null;

    public override string? IdToToken(int id) => _vocabulary.Token(id);

    public override void Tokenize(ReadOnlySpan<char> text, TokenList output)
    {
        if (_vocabulary.TryGetId(text, out var key, out var id)) output.Add(id, 0, text.Length, key);
        else if (_unkId >= 0) output.Add(_unkId, 0, text.Length, UnkToken);
    }
}
