using Embeddings.Tokenization.PostProcessors;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization;

// The ids-only path for text pairs (cross-encoder inputs): the same ids and type ids as Encode(first, second, options)
// with special tokens and longest_first truncation, without building token strings, offsets, masks or the
// intermediate encodings the full path merges.
public sealed partial class Tokenizer
{
    [ThreadStatic] private static int[]? t_firstIds;
    [ThreadStatic] private static int[]? t_secondIds;

    private PairSequenceLayout? _pairLayout;
    private bool _pairLayoutKnown;

    /// <summary>
    /// Encodes a text pair with special tokens into new id and type id arrays, equal to the <c>Ids</c> and
    /// <c>TypeIds</c> of <c>Encode(first, second, new EncodeOptions { AddSpecialTokens = true, Truncation = new
    /// TruncationOptions(maxLength, LongestFirst, direction) })</c>, or without truncation when
    /// <paramref name="maxLength"/> is null. Returns false (and nothing) when the post-processor's pair output is
    /// not <c>prefix A middle B suffix</c>; callers then use <see cref="Encode(string, string?, EncodeOptions?)"/>.
    /// </summary>
    internal bool TryEncodePairToIds(ReadOnlySpan<char> first, ReadOnlySpan<char> second, int? maxLength, SequenceSide direction,
        out int[] ids, out int[] typeIds)
    {
        ids = typeIds = [];
        var layout = PairLayout();
        if (layout is null) return false;

        var limit = maxLength ?? -1;
        var firstIds = t_firstIds ??= new int[256];
        var secondIds = t_secondIds ??= new int[256];
        var n1 = SequenceIds(first, limit, direction, ref firstIds, exactCount: false);
        var n2 = SequenceIds(second, limit, direction, ref secondIds, exactCount: false);
        if (limit >= 0 && n1 >= limit && n2 >= limit)
        {
            // Both sequences reach the limit: which one counts as longer decides where an odd token goes, so take
            // the counts the full path sees (its pieces up to the limit, not the ids capped at it).
            n1 = SequenceIds(first, limit, direction, ref firstIds, exactCount: true);
            n2 = SequenceIds(second, limit, direction, ref secondIds, exactCount: true);
        }
        t_firstIds = firstIds;
        t_secondIds = secondIds;

        int k1 = n1, k2 = n2;
        if (maxLength is { } max)
        {
            var added = layout.Added;
            (k1, k2) = Truncator.LongestFirstLengths(n1, n2, added > 0 ? Math.Max(0, max - added) : max);
            (k1, k2) = (Math.Min(k1, n1), Math.Min(k2, n2));
        }
        // Right truncation keeps the first ids, left truncation the last ones.
        var from1 = direction == SequenceSide.Left ? n1 - k1 : 0;
        var from2 = direction == SequenceSide.Left ? n2 - k2 : 0;

        var total = layout.Added + k1 + k2;
        ids = new int[total];
        typeIds = new int[total];
        var k = 0;
        void Specials(int[] specialIds, int[] specialTypes, Span<int> idsOut, Span<int> typesOut)
        {
            specialIds.CopyTo(idsOut[k..]);
            specialTypes.CopyTo(typesOut[k..]);
            k += specialIds.Length;
        }
        void Content(ReadOnlySpan<int> content, int typeId, Span<int> idsOut, Span<int> typesOut)
        {
            content.CopyTo(idsOut[k..]);
            typesOut.Slice(k, content.Length).Fill(typeId);
            k += content.Length;
        }
        Specials(layout.PrefixIds, layout.PrefixTypeIds, ids, typeIds);
        Content(firstIds.AsSpan(from1, k1), layout.FirstTypeId, ids, typeIds);
        Specials(layout.MiddleIds, layout.MiddleTypeIds, ids, typeIds);
        Content(secondIds.AsSpan(from2, k2), layout.SecondTypeId, ids, typeIds);
        Specials(layout.SuffixIds, layout.SuffixTypeIds, ids, typeIds);
        return true;
    }

    // The ids of one sequence without special tokens into `buffer` (grown as needed); returns how many the full path
    // counts for it. With exactCount false and a limit, right-truncated BERT text may stop at the limit (ids beyond it
    // are never kept, so only a count at the limit can differ from the full path's).
    private int SequenceIds(ReadOnlySpan<char> text, int limit, SequenceSide direction, ref int[] buffer, bool exactCount)
    {
        if (!exactCount && _bertIdsFastPath is not null && direction == SequenceSide.Right)
        {
            var cap = limit >= 0 ? limit : int.MaxValue;
            if (buffer.Length < Math.Min(cap, text.Length + 1)) buffer = new int[Math.Min(cap, text.Length + 1)];
            var written = _bertIdsFastPath.TryEncode(text, buffer, cap);
            if (written >= 0) return written;
        }

        var s = t_text ??= new PreTokenizedString();
        PrepareSequence(s, text, limit, direction, windowed: true);
        var count = 0;
        for (var p = 0; p < s.Count; p++) count += s[p].TokenCount;
        if (buffer.Length < count) buffer = new int[Math.Max(count, buffer.Length * 2)];
        var tokens = s.Tokens;
        var k = 0;
        for (var p = 0; p < s.Count; p++)
        {
            ref var piece = ref s[p];
            for (var t = piece.TokenStart; t < piece.TokenStart + piece.TokenCount; t++) buffer[k++] = tokens.Id(t);
        }
        ReleaseIfLarge(s);
        return count;
    }

    // Found once by running the post-processor on two marker sequences: where their ids land, and with which type ids.
    private PairSequenceLayout? PairLayout()
    {
        if (Volatile.Read(ref _pairLayoutKnown)) return _pairLayout;
        _pairLayout = PairSequenceLayout.Probe(this);
        Volatile.Write(ref _pairLayoutKnown, true);
        return _pairLayout;
    }
}
