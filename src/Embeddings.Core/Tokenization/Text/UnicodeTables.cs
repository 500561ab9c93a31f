using System.Collections.Frozen;

namespace Embeddings.Tokenization.Text;

/// <summary>
/// Lookups over the generated normalization data (<c>UnicodeTables.g.cs</c>): canonical combining classes,
/// full decompositions and canonical compositions. Hangul syllables are handled algorithmically by the caller.
/// </summary>
internal static partial class UnicodeTables
{
    private const int BlockBits = 8;
    private const int BlockSize = 1 << BlockBits;

    // Two-stage table: a block index per 256 code points, and shared 256-entry blocks of classes.
    private static readonly (ushort[] Index, byte[] Blocks) CombiningClasses = BuildCombiningClasses();
    private static readonly FrozenDictionary<int, int> CanonicalIndex = BuildIndex(CanonicalKeys);
    private static readonly FrozenDictionary<int, int> CompatibilityIndex = BuildIndex(CompatibilityKeys);
    private static readonly FrozenDictionary<long, int> Compositions = BuildCompositions();
    private static readonly FrozenSet<int> CompositionSeconds = BuildCompositionSeconds();

    /// <summary>The canonical combining class of a code point (0 for starters and unassigned code points).</summary>
    public static int CombiningClass(int codePoint)
    {
        if (codePoint < 0x300) return 0;
        var (index, blocks) = CombiningClasses;
        return blocks[(index[codePoint >> BlockBits] << BlockBits) | (codePoint & (BlockSize - 1))];
    }

    /// <summary>The full canonical decomposition of a code point, or an empty span when it has none.</summary>
    public static ReadOnlySpan<int> CanonicalDecomposition(int codePoint) =>
        codePoint < 0xC0 || !CanonicalIndex.TryGetValue(codePoint, out var i)
            ? default
            : CanonicalValues[CanonicalOffsets[i]..CanonicalOffsets[i + 1]];

    /// <summary>
    /// The full compatibility decomposition of a code point when it differs from the canonical one,
    /// or an empty span (then the canonical decomposition applies).
    /// </summary>
    public static ReadOnlySpan<int> CompatibilityDecomposition(int codePoint) =>
        codePoint < 0xA0 || !CompatibilityIndex.TryGetValue(codePoint, out var i)
            ? default
            : CompatibilityValues[CompatibilityOffsets[i]..CompatibilityOffsets[i + 1]];

    /// <summary>The primary composite of two code points, if any (Hangul excluded).</summary>
    public static bool TryCompose(int first, int second, out int composite) =>
        Compositions.TryGetValue(((long)first << 21) | (uint)second, out composite);

    /// <summary>True when the code point is the second element of some primary composite.</summary>
    public static bool IsCompositionSecond(int codePoint) => CompositionSeconds.Contains(codePoint);

    private static FrozenSet<int> BuildCompositionSeconds()
    {
        var triples = CompositionTriples;
        var set = new HashSet<int>();
        for (var i = 1; i < triples.Length; i += 3) set.Add(triples[i]);
        return set.ToFrozenSet();
    }

    private static (ushort[], byte[]) BuildCombiningClasses()
    {
        // Block 0 is all zeros and shared by every block without a non-zero class.
        var index = new ushort[0x110000 >> BlockBits];
        var blocks = new List<byte>(new byte[BlockSize]);
        var pairs = CombiningClassPairs;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var block = pairs[i] >> BlockBits;
            if (index[block] == 0)
            {
                index[block] = (ushort)(blocks.Count >> BlockBits);
                blocks.AddRange(new byte[BlockSize]);
            }
            blocks[(index[block] << BlockBits) | (pairs[i] & (BlockSize - 1))] = (byte)pairs[i + 1];
        }
        return (index, blocks.ToArray());
    }

    private static FrozenDictionary<int, int> BuildIndex(ReadOnlySpan<int> keys)
    {
        var map = new Dictionary<int, int>(keys.Length);
        for (var i = 0; i < keys.Length; i++) map[keys[i]] = i;
        return map.ToFrozenDictionary();
    }

    private static FrozenDictionary<long, int> BuildCompositions()
    {
        var triples = CompositionTriples;
        var map = new Dictionary<long, int>(triples.Length / 3);
        for (var i = 0; i < triples.Length; i += 3) map[((long)triples[i] << 21) | (uint)triples[i + 1]] = triples[i + 2];
        return map.ToFrozenDictionary();
    }
}
