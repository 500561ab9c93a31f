namespace Embeddings.Tokenization;

/// <summary>
/// Tokens produced while encoding one sequence: id, offsets relative to the piece of text they came from,
/// and the token string when it is not the model's vocabulary string for the id.
/// </summary>
internal sealed class TokenList
{
    private int[] _ids = new int[64];
    private int[] _starts = new int[64];
    private int[] _ends = new int[64];
    private string?[] _values = new string?[64];

    public int Count { get; private set; }

    public int Id(int index) => _ids[index];
    public int Start(int index) => _starts[index];
    public int End(int index) => _ends[index];

    /// <summary>The token string, or null when it is the model's vocabulary entry for <see cref="Id"/>.</summary>
    public string? Value(int index) => _values[index];

    public void Add(int id, int start, int end, string? value = null)
    {
        if (Count == _ids.Length) Grow();
        _ids[Count] = id;
        _starts[Count] = start;
        _ends[Count] = end;
        _values[Count] = value;
        Count++;
    }

    /// <summary>Drops the tokens from <paramref name="count"/> on.</summary>
    public void Truncate(int count)
    {
        if (count >= Count) return;
        Array.Clear(_values, count, Count - count);
        Count = count;
    }

    public void Clear()
    {
        if (Count > 0) Array.Clear(_values, 0, Count);
        Count = 0;
    }

    private void Grow()
    {
        var size = _ids.Length * 2;
        Array.Resize(ref _ids, size);
        Array.Resize(ref _starts, size);
        Array.Resize(ref _ends, size);
        Array.Resize(ref _values, size);
    }
}
