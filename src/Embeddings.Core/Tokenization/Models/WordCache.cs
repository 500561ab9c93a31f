using System.Collections.Concurrent;

namespace Embeddings.Tokenization.Models;

/// <summary>
/// A bounded, thread-safe cache from a word to the tokens a model produced for it. Once full it stops
/// accepting entries (no eviction), so memory stays bounded and lookups stay lock-free.
/// </summary>
internal sealed class WordCache
{
    private readonly int _capacity;
    private readonly int _maxWordLength;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count; // ConcurrentDictionary.Count takes every lock; too slow for the hot path

    /// <summary>Creates a cache for up to <paramref name="capacity"/> words shorter than <paramref name="maxWordLength"/>.</summary>
    public WordCache(int capacity, int maxWordLength)
    {
        _capacity = capacity;
        _maxWordLength = maxWordLength;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Appends the cached tokens of <paramref name="word"/> to <paramref name="output"/>, if cached.</summary>
    public bool TryGet(ReadOnlySpan<char> word, TokenList output)
    {
        if (word.Length >= _maxWordLength || !_lookup.TryGetValue(word, out var entry))
            return false;
        var data = entry.Data;
        for (var i = 0; i < data.Length; i += 3) output.Add(data[i], data[i + 1], data[i + 2], entry.Values?[i / 3]);
        return true;
    }

    /// <summary>Remembers the tokens <c>[first, output.Count)</c> as the result for <paramref name="word"/>.</summary>
    public void Add(ReadOnlySpan<char> word, TokenList output, int first)
    {
        if (word.Length >= _maxWordLength || Volatile.Read(ref _count) >= _capacity) return;
        var n = output.Count - first;
        var data = new int[n * 3];
        string?[]? values = null;
        for (var i = 0; i < n; i++)
        {
            data[3 * i] = output.Id(first + i);
            data[3 * i + 1] = output.Start(first + i);
            data[3 * i + 2] = output.End(first + i);
            if (output.Value(first + i) is { } value) (values ??= new string?[n])[i] = value;
        }
        if (_lookup.TryAdd(word, new Entry(data, values)))
            Interlocked.Increment(ref _count);
    }

    private sealed record Entry(int[] Data, string?[]? Values);
}
