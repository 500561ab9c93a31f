using System.Numerics;
using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>
/// A read-mostly open-addressing hash map from 64-bit keys to values, for the hot lookups of token pairs
/// (BPE merges) and trie edges. Keys are spread with a multiplicative hash: <c>Dictionary&lt;long, T&gt;</c>
/// hashes a long as the XOR of its halves, which collides heavily for pairs of small ids.
/// </summary>
/// <remarks>Not safe for concurrent writes; concurrent reads after the last write are safe.</remarks>
internal sealed class LongKeyMap<TValue>
{
    private const long Empty = long.MinValue;
    private long[] _keys;
    private TValue[] _values;
    private int _mask;
    private int _shift;

    /// <summary>Creates a map sized for about <paramref name="capacity"/> entries.</summary>
    public LongKeyMap(int capacity = 16)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _keys = new long[size];
        Array.Fill(_keys, Empty);
        _values = new TValue[size];
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
    }

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>Adds or replaces an entry. <paramref name="key"/> must not be <see cref="long.MinValue"/>.</summary>
    public void Set(long key, TValue value)
    {
        if (key == Empty) throw new ArgumentOutOfRangeException(nameof(key));
        if ((Count + 1) * 2 > _keys.Length) Grow();
        var i = Slot(key);
        while (_keys[i] != Empty && _keys[i] != key) i = (i + 1) & _mask;
        if (_keys[i] == Empty) Count++;
        _keys[i] = key;
        _values[i] = value;
    }

    /// <summary>Looks a key up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(long key, out TValue value)
    {
        var keys = _keys;
        var i = Slot(key);
        while (true)
        {
            var k = keys[i];
            if (k == key)
            {
                value = _values[i];
                return true;
            }
            if (k == Empty)
            {
                value = default!;
                return false;
            }
            i = (i + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15UL)) >> _shift);

    private void Grow()
    {
        var oldKeys = _keys;
        var oldValues = _values;
        var size = oldKeys.Length * 2;
        _keys = new long[size];
        Array.Fill(_keys, Empty);
        _values = new TValue[size];
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
        Count = 0;
        for (var i = 0; i < oldKeys.Length; i++)
            if (oldKeys[i] != Empty) Set(oldKeys[i], oldValues[i]);
    }
}
