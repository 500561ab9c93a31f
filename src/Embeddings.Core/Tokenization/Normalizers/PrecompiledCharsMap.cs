using System.Buffers.Binary;
using System.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>
/// SentencePiece's precompiled normalization map: a little-endian double-array trie over UTF-8 keys whose
/// leaves point into a blob of NUL-terminated replacement strings.
/// </summary>
internal sealed class PrecompiledCharsMap
{
    private readonly uint[] _units;
    private readonly byte[] _blob;
    private readonly Dictionary<int, string> _strings = [];

    private PrecompiledCharsMap(uint[] units, byte[] blob)
    {
        _units = units;
        _blob = blob;
        for (var start = 0; start < blob.Length;)
        {
            var end = Array.IndexOf(blob, (byte)0, start);
            if (end < 0) end = blob.Length;
            _strings[start] = System.Text.Encoding.UTF8.GetString(blob, start, end - start);
            start = end + 1;
        }
    }

    /// <summary>Parses the decoded <c>precompiled_charsmap</c> bytes.</summary>
    /// <exception cref="FormatException">The blob is truncated or its strings are not UTF-8.</exception>
    public static PrecompiledCharsMap Parse(byte[] data)
    {
        if (data.Length < 4) throw new FormatException("the charsmap is shorter than its 4-byte header");
        var trieBytes = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (trieBytes % 4 != 0 || trieBytes > data.Length - 4)
            throw new FormatException($"the charsmap declares a {trieBytes}-byte trie but holds {data.Length - 4} bytes");
        var units = new uint[trieBytes / 4];
        for (var i = 0; i < units.Length; i++) units[i] = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4 + 4 * i));
        var blob = data.AsSpan(4 + (int)trieBytes).ToArray();
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(blob);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("the charsmap's normalized strings are not valid UTF-8", e);
        }
        if (units.Length == 0) throw new FormatException("the charsmap's trie is empty");
        return new PrecompiledCharsMap(units, blob);
    }

    /// <summary>
    /// The replacement for the first (shortest) prefix of <paramref name="utf8"/> that is a key, or null.
    /// A NUL byte ends the key, as in SentencePiece.
    /// </summary>
    public string? Transform(ReadOnlySpan<byte> utf8)
    {
        var node = Offset(_units[0]);
        foreach (var c in utf8)
        {
            if (c == 0) break;
            node ^= c;
            if ((uint)node >= (uint)_units.Length) return null;
            var unit = _units[node];
            if (Label(unit) != c) return null;
            node ^= Offset(unit);
            if ((uint)node >= (uint)_units.Length) return null;
            if (HasLeaf(unit)) return StringAt((int)(_units[node] & 0x7FFFFFFF));
        }
        return null;
    }

    private string? StringAt(int index)
    {
        if (_strings.TryGetValue(index, out var s)) return s;
        if (index >= _blob.Length) return null;
        var end = Array.IndexOf(_blob, (byte)0, index);
        return System.Text.Encoding.UTF8.GetString(_blob, index, (end < 0 ? _blob.Length : end) - index);
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static uint Label(uint unit) => unit & ((1u << 31) | 0xFF);

    private static int Offset(uint unit) => (int)((unit >> 10) << (int)((unit & (1u << 9)) >> 6));
}
