using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization.Models;

/// <summary>
/// A read-only map from strings to ids, looked up by <see cref="ReadOnlySpan{T}"/> of chars through a hash that
/// extends one character at a time (<see cref="Extend"/>). A caller looking for the longest entry at the start
/// of a word (WordPiece's greedy search) hashes every prefix in one pass and then probes them from the longest
/// down, instead of rehashing each shorter candidate as a string-keyed dictionary would.
/// </summary>
/// <remarks>
/// Open addressing with linear probing at a load factor of at most one half. A slot holds the key's full hash
/// and its entry, so a probe that misses (most probes of the greedy search do) reads only the slot array.
/// </remarks>
internal sealed class PrefixHashMap
{
    /// <summary>The hash of the empty string.</summary>
    public const uint Seed = 2166136261;

    private readonly Slot[] _slots;
    private readonly int _shift;
    private readonly int _mask;
    private readonly char[] _chars;
    private readonly Entry[] _entries;

    /// <summary>Builds the map; later duplicates of a key are ignored (keys are unique in a vocabulary).</summary>
    public PrefixHashMap(IReadOnlyCollection<KeyValuePair<string, int>> entries)
    {
        var size = 16;
        while (size < 2 * entries.Count) size *= 2;
        _slots = new Slot[size];
        _mask = size - 1;
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)size);
        _chars = new char[entries.Sum(e => e.Key.Length)];
        _entries = new Entry[entries.Count];
        var used = 0;
        var count = 0;
        foreach (var (key, id) in entries)
        {
            var hash = Hash(key);
            if (Find(hash, key) >= 0) continue;
            key.CopyTo(_chars.AsSpan(used));
            _entries[count] = new Entry(used, key.Length, id);
            var i = Bucket(hash);
            while (_slots[i].EntryPlusOne != 0) i = (i + 1) & _mask;
            _slots[i] = new Slot(hash, count + 1);
            used += key.Length;
            count++;
            LongestKey = Math.Max(LongestKey, key.Length);
        }
    }

    /// <summary>Length of the longest key.</summary>
    public int LongestKey { get; }

    /// <summary>The hash of <paramref name="hash"/>'s string followed by <paramref name="c"/> (32-bit FNV-1a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Extend(uint hash, char c) => (hash ^ c) * 16777619;

    /// <summary>The hash of a whole string.</summary>
    public static uint Hash(ReadOnlySpan<char> key)
    {
        var h = Seed;
        foreach (var c in key) h = Extend(h, c);
        return h;
    }

    /// <summary>The id of <paramref name="key"/>, whose hash is <paramref name="hash"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint hash, ReadOnlySpan<char> key)
    {
        var slots = _slots;
        var i = Bucket(hash);
        while (true)
        {
            var slot = slots[i];
            if (slot.EntryPlusOne == 0) return -1;
            if (slot.Hash == hash)
            {
                var e = _entries[slot.EntryPlusOne - 1];
                if (e.Length == key.Length && _chars.AsSpan(e.Offset, e.Length).SequenceEqual(key)) return e.Id;
            }
            i = (i + 1) & _mask;
        }
    }

    // Fibonacci hashing on top of FNV spreads the low-entropy hashes of short keys over the table.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bucket(uint hash) => (int)((hash * 2654435769u) >> _shift);

    private readonly record struct Slot(uint Hash, int EntryPlusOne);

    private readonly record struct Entry(int Offset, int Length, int Id);
}
