using System.Buffers;
using System.Text;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Models;

/// <summary>
/// Unigram language model (SentencePiece): the segmentation with the highest total piece score (Viterbi over
/// all vocabulary pieces found by a prefix trie). A character no piece covers becomes the unknown token,
/// scored 10 below the lowest piece score; consecutive unknowns are fused into one token.
/// </summary>
internal sealed class UnigramModel : TokenizerModel
{
    private const double UnknownPenalty = 10.0;

    private readonly string[] _pieces;
    private readonly double[] _scores;
    private readonly Vocabulary _ids;
    private readonly CharTrie _trie;
    private readonly double _unknownScore;
    private readonly int[] _byteIds = new int[256];
    private readonly WordCache _cache = new(50_000, 64);

    public UnigramModel(IReadOnlyList<(string Piece, double Score)> vocabulary, int? unkId, bool byteFallback)
    {
        if (unkId is { } u && (u < 0 || u >= vocabulary.Count))
            throw new ArgumentException($"unk_id {u} is outside the vocabulary of {vocabulary.Count} pieces", nameof(unkId));
        if (unkId is not null && vocabulary.Count == 0)
            throw new ArgumentException("the vocabulary is empty but an unknown token is needed", nameof(vocabulary));
        _pieces = new string[vocabulary.Count];
        _scores = new double[vocabulary.Count];
        var minScore = double.PositiveInfinity;
        var entries = new List<KeyValuePair<string, int>>(vocabulary.Count);
        for (var i = 0; i < vocabulary.Count; i++)
        {
            (_pieces[i], _scores[i]) = vocabulary[i];
            entries.Add(new(_pieces[i], i));
            if (_scores[i] < minScore) minScore = _scores[i];
        }
        _ids = new Vocabulary(entries);
        _trie = new CharTrie();
        foreach (var piece in _pieces)
            if (piece.Length > 0) _trie.Add(piece, _ids.TryGetId(piece, out var id) ? id : -1);
        _unknownScore = minScore - UnknownPenalty;
        UnkId = unkId;
        ByteFallback = byteFallback;
        for (var b = 0; b < 256; b++) _byteIds[b] = _ids.TryGetId($"<0x{b:X2}>", out var id) ? id : -1;
    }

    public int? UnkId { get; }
    public bool ByteFallback { get; }

    public override int VocabularySize => _pieces.Length;

    public override int? TokenToId(ReadOnlySpan<char> token) => _ids.TryGetId(token, out var id) ? id : null;

    public override string? IdToToken(int id) => (uint)id < (uint)_pieces.Length ? _pieces[id] : null;

    public override void Tokenize(ReadOnlySpan<char> text, TokenList output)
    {
        if (text.IsEmpty || _cache.TryGet(text, output)) return;
        var first = output.Count;
        Viterbi(text, output);
        _cache.Add(text, output, first);
    }

    private void Viterbi(ReadOnlySpan<char> text, TokenList output)
    {
        var n = text.Length;
        var score = ArrayPool<double>.Shared.Rent(n + 1);
        var from = ArrayPool<int>.Shared.Rent(n + 1);
        var ids = ArrayPool<int>.Shared.Rent(n + 1);
        var cuts = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            Array.Fill(from, -1, 0, n + 1);
            score[0] = 0;
            var unk = UnkId ?? -1;
            for (var pos = 0; pos < n;)
            {
                var baseScore = score[pos];
                Utf16.CodePointAt(text, pos, out var charLength);
                var hasSingle = false;
                var node = 0;
                for (var k = pos; k < n; k++)
                {
                    node = _trie.Child(node, text[k]);
                    if (node < 0) break;
                    var id = _trie.Value(node);
                    if (id < 0) continue;
                    var end = k + 1;
                    var candidate = _scores[id] + baseScore;
                    if (from[end] < 0 || candidate > score[end])
                    {
                        score[end] = candidate;
                        from[end] = pos;
                        ids[end] = id;
                    }
                    if (end - pos == charLength) hasSingle = true;
                }
                if (!hasSingle)
                {
                    var end = pos + charLength;
                    var candidate = _unknownScore + baseScore;
                    if (from[end] < 0 || candidate > score[end])
                    {
                        score[end] = candidate;
                        from[end] = pos;
                        ids[end] = unk;
                    }
                }
                pos += charLength;
            }

            // The best path, collected backwards from the end as piece ends.
            var count = 0;
            for (var end = n; end > 0; end = from[end]) cuts[count++] = end;
            Emit(text, from, ids, cuts, count, unk, output);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(score);
            ArrayPool<int>.Shared.Return(from);
            ArrayPool<int>.Shared.Return(ids);
            ArrayPool<int>.Shared.Return(cuts);
        }
    }

    private void Emit(ReadOnlySpan<char> text, int[] from, int[] ids, int[] ends, int count, int unk, TokenList output)
    {
        // ends[] holds piece ends from last to first; runs of unknown pieces are fused into one token.
        for (var k = count - 1; k >= 0;)
        {
            var end = ends[k];
            var start = from[end];
            if (ids[end] == unk)
            {
                while (k - 1 >= 0 && ids[ends[k - 1]] == unk) end = ends[--k];
                EmitPiece(text, start, end, output);
            }
            else EmitPiece(text, start, end, output);
            k--;
        }
    }

    private void EmitPiece(ReadOnlySpan<char> text, int start, int end, TokenList output)
    {
        var piece = text[start..end];
        if (_ids.TryGetId(piece, out var id))
        {
            output.Add(id, start, end);
            return;
        }
        if (ByteFallback)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(piece.ToString());
            var all = true;
            foreach (var b in bytes) all &= _byteIds[b] >= 0;
            if (all)
            {
                foreach (var b in bytes) output.Add(_byteIds[b], start, end);
                return;
            }
        }
        if (UnkId is { } unk) output.Add(unk, start, end, piece.ToString());
    }

    /// <summary>A trie over UTF-16 units whose nodes may carry a vocabulary id.</summary>
    private sealed class CharTrie
    {
        private readonly LongKeyMap<int> _children = new();
        private readonly List<int> _values = [-1];

        public void Add(string key, int id)
        {
            var node = 0;
            foreach (var c in key)
            {
                var k = ((long)node << 16) | c;
                if (!_children.TryGetValue(k, out var child))
                {
                    child = _values.Count;
                    _values.Add(-1);
                    _children.Set(k, child);
                }
                node = child;
            }
            _values[node] = id;
        }

        public int Child(int node, char c) => _children.TryGetValue(((long)node << 16) | c, out var child) ? child : -1;

        public int Value(int node) => _values[node];
    }
}
