namespace Embeddings.Tokenization.Models;

/// <summary>
/// A string-to-id map with allocation-free span lookups and the reverse map. When two entries share an id,
/// the reverse map keeps the one read last, as the reference implementation does.
/// </summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string?[] _tokens;
    private readonly Dictionary<int, string>? _sparseTokens;

    public Vocabulary(IEnumerable<KeyValuePair<string, int>> entries)
    {
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var maxId = -1;
        foreach (var (token, id) in entries)
        {
            _ids[token] = id;
            if (id > maxId) maxId = id;
        }
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        // Dense ids (the normal case) go in an array; wildly sparse ids in a dictionary.
        if (maxId < 4L * _ids.Count + 1024)
        {
            _tokens = new string?[maxId + 1];
            foreach (var (token, id) in entries)
                if (id >= 0) _tokens[id] = token;
        }
        else
        {
            _tokens = [];
            _sparseTokens = [];
            foreach (var (token, id) in entries) _sparseTokens[id] = token;
        }
    }

    public int Count => _ids.Count;

    public IReadOnlyDictionary<string, int> Entries => _ids;

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    /// <summary>Looks a token up and also returns the stored key (no allocation).</summary>
    public bool TryGetId(ReadOnlySpan<char> token, out string key, out int id) => _lookup.TryGetValue(token, out key!, out id);

    public string? Token(int id)
    {
        if (_sparseTokens is not null) return _sparseTokens.GetValueOrDefault(id);
        return (uint)id < (uint)_tokens.Length ? _tokens[id] : null;
    }
}
