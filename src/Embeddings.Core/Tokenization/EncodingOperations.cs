namespace Embeddings.Tokenization;

/// <summary>
/// The operations post-processing, truncation and padding perform on encodings, with the reference
/// implementation's semantics (including how overflowing windows are combined when encodings merge).
/// Each returns a new encoding.
/// </summary>
internal static class EncodingOperations
{
    /// <summary>An encoding whose tokens are all from one sequence (no special tokens).</summary>
    public static Encoding FromTokens(int[] ids, string[] tokens, TokenOffset[] offsets, int?[] words, int typeId, bool wasTruncated, string? sourceText)
    {
        var n = ids.Length;
        return new Encoding(ids, Filled(n, typeId), tokens, words, offsets, new int[n], Filled(n, 1), null, null, wasTruncated, sourceText);
    }

    /// <summary>An encoding of special tokens.</summary>
    public static Encoding Special(int[] ids, string[] tokens, int typeId)
    {
        var n = ids.Length;
        return new Encoding(ids, Filled(n, typeId), tokens, new int?[n], new TokenOffset[n], Filled(n, 1), Filled(n, 1), null, null);
    }

    public static Encoding WithTypeIds(Encoding e, int typeId) =>
        new(e.Ids, Filled(e.Length, typeId), e.Tokens, e.WordIds, e.Offsets, e.SpecialTokensMask, e.AttentionMask,
            e.OverflowingArray, e.SequenceRanges, e.WasTruncated, e.SourceText);

    /// <summary>Marks the whole encoding as coming from sequence <paramref name="sequence"/>.</summary>
    public static Encoding WithSequenceId(Encoding e, int sequence)
    {
        var ranges = new List<SequenceRange>(e.SequenceRanges.Length + 1);
        foreach (var r in e.SequenceRanges)
            if (r.Sequence != sequence) ranges.Add(r);
        ranges.Add(new SequenceRange(sequence, 0, e.Length));
        return new Encoding(e.Ids, e.TypeIds, e.Tokens, e.WordIds, e.Offsets, e.SpecialTokensMask, e.AttentionMask,
            e.OverflowingArray, [.. ranges], e.WasTruncated, e.SourceText);
    }

    public static Encoding WithOverflowing(Encoding e, Encoding[] overflowing) =>
        new(e.Ids, e.TypeIds, e.Tokens, e.WordIds, e.Offsets, e.SpecialTokensMask, e.AttentionMask, overflowing,
            e.SequenceRanges, e.WasTruncated, e.SourceText);

    public static Encoding WithOffsets(Encoding e, TokenOffset[] offsets) =>
        new(e.Ids, e.TypeIds, e.Tokens, e.WordIds, offsets, e.SpecialTokensMask, e.AttentionMask, e.OverflowingArray,
            e.SequenceRanges, e.WasTruncated, e.SourceText);

    /// <summary>
    /// Wraps one sequence with special tokens: <c>prefix + e + suffix</c>, with a sequence range for e only and
    /// its type ids replaced by <paramref name="contentTypeId"/> when given. Overflowing windows are not carried.
    /// </summary>
    public static Encoding Surround(Encoding e, (int Id, string Token)[] prefix, (int Id, string Token)[] suffix,
        int prefixTypeId, int? contentTypeId, int suffixTypeId, int sequence)
    {
        var content = new Encoding(e.Ids, contentTypeId is { } t ? Filled(e.Length, t) : e.TypeIds, e.Tokens, e.WordIds, e.Offsets,
            e.SpecialTokensMask, e.AttentionMask, null, [new SequenceRange(sequence, 0, e.Length)], e.WasTruncated);
        return Concatenate([
            Special(Array.ConvertAll(prefix, p => p.Id), Array.ConvertAll(prefix, p => p.Token), prefixTypeId),
            content,
            Special(Array.ConvertAll(suffix, p => p.Id), Array.ConvertAll(suffix, p => p.Token), suffixTypeId),
        ]);
    }

    /// <summary>Concatenates encodings left to right (the reference's <c>Encoding::merge</c>).</summary>
    public static Encoding Merge(IReadOnlyList<Encoding> encodings, bool growingOffsets)
    {
        if (encodings.Count == 1 && encodings[0].OverflowingArray.Length == 0) return encodings[0];
        var anyOverflow = false;
        foreach (var e in encodings) anyOverflow |= e.OverflowingArray.Length > 0;
        if (anyOverflow || growingOffsets)
        {
            var result = Encoding.Empty;
            foreach (var e in encodings) result = MergeWith(result, e, growingOffsets);
            return result;
        }
        return Concatenate(encodings);
    }

    // Merge without overflowing windows: one pass, one allocation per array.
    private static Encoding Concatenate(IReadOnlyList<Encoding> encodings)
    {
        var n = 0;
        foreach (var e in encodings) n += e.Length;
        var ids = new int[n];
        var typeIds = new int[n];
        var tokens = new string[n];
        var words = new int?[n];
        var offsets = new TokenOffset[n];
        var special = new int[n];
        var attention = new int[n];
        var ranges = new List<SequenceRange>(2);
        var at = 0;
        var truncated = false;
        foreach (var e in encodings)
        {
            e.Ids.CopyTo(ids, at);
            e.TypeIds.CopyTo(typeIds, at);
            e.Tokens.CopyTo(tokens, at);
            e.WordIds.CopyTo(words, at);
            e.Offsets.CopyTo(offsets, at);
            e.SpecialTokensMask.CopyTo(special, at);
            e.AttentionMask.CopyTo(attention, at);
            foreach (var r in e.SequenceRanges)
            {
                ranges.RemoveAll(x => x.Sequence == r.Sequence);
                ranges.Add(new SequenceRange(r.Sequence, at + r.Start, at + r.End));
            }
            truncated |= e.WasTruncated;
            at += e.Length;
        }
        return new Encoding(ids, typeIds, tokens, words, offsets, special, attention, null, [.. ranges], truncated);
    }

    /// <summary>
    /// Appends <paramref name="pair"/> to <paramref name="self"/>. Overflowing windows combine as in the
    /// reference: each of self's windows with pair (and with each of pair's windows), then self with each
    /// of pair's windows.
    /// </summary>
    public static Encoding MergeWith(Encoding self, Encoding pair, bool growingOffsets)
    {
        var overflowing = new List<Encoding>();
        foreach (var selfWindow in self.OverflowingArray)
        {
            overflowing.Add(MergeWith(selfWindow, pair, growingOffsets));
            foreach (var pairWindow in pair.OverflowingArray) overflowing.Add(MergeWith(selfWindow, pairWindow, growingOffsets));
        }
        foreach (var pairWindow in pair.OverflowingArray) overflowing.Add(MergeWith(self, pairWindow, growingOffsets));

        var n1 = self.Length;
        var ranges = new List<SequenceRange>(self.SequenceRanges);
        foreach (var r in pair.SequenceRanges)
        {
            ranges.RemoveAll(x => x.Sequence == r.Sequence);
            ranges.Add(new SequenceRange(r.Sequence, n1 + r.Start, n1 + r.End));
        }
        var shift = growingOffsets && n1 > 0 ? self.Offsets[n1 - 1].End : 0;
        var offsets = new TokenOffset[n1 + pair.Length];
        self.Offsets.CopyTo(offsets, 0);
        for (var i = 0; i < pair.Length; i++)
            offsets[n1 + i] = new TokenOffset(pair.Offsets[i].Start + shift, pair.Offsets[i].End + shift);
        return new Encoding(
            [.. self.Ids, .. pair.Ids], [.. self.TypeIds, .. pair.TypeIds], [.. self.Tokens, .. pair.Tokens],
            [.. self.WordIds, .. pair.WordIds], offsets, [.. self.SpecialTokensMask, .. pair.SpecialTokensMask],
            [.. self.AttentionMask, .. pair.AttentionMask], [.. overflowing], [.. ranges],
            self.WasTruncated || pair.WasTruncated);
    }

    /// <summary>
    /// Keeps <paramref name="maxLength"/> tokens; the rest is cut into overflowing windows of that size that
    /// overlap by <paramref name="stride"/> tokens.
    /// </summary>
    /// <exception cref="ArgumentException">The stride is not smaller than the length to keep.</exception>
    public static Encoding Truncate(Encoding e, int maxLength, int stride, SequenceSide direction)
    {
        var length = e.Length;
        if (maxLength >= length) return e;
        if (maxLength == 0)
        {
            var all = new Encoding(e.Ids, e.TypeIds, e.Tokens, e.WordIds, e.Offsets, e.SpecialTokensMask, e.AttentionMask,
                e.OverflowingArray, e.SequenceRanges, e.WasTruncated, e.SourceText);
            return new Encoding([], [], [], [], [], [], [], [all], null, wasTruncated: true, e.SourceText);
        }
        if (stride >= maxLength)
            throw new ArgumentException(
                $"The truncation stride ({stride}) must be smaller than the number of tokens kept per sequence ({maxLength}, after room for special tokens).");

        var step = maxLength - stride;
        var parts = new List<(int Start, int Stop)>();
        if (direction == SequenceSide.Right)
        {
            for (var start = 0; start < length; start += step)
            {
                var stop = Math.Min(start + maxLength, length);
                parts.Add((start, stop));
                if (stop == length) break;
            }
        }
        else
        {
            for (var last = length - 1; last >= 0; last -= step)
            {
                var stop = last + 1;
                var start = Math.Max(0, stop - maxLength);
                parts.Add((start, stop));
                if (start == 0) break;
            }
        }
        var windows = new Encoding[parts.Count - 1];
        for (var i = 1; i < parts.Count; i++) windows[i - 1] = Slice(e, parts[i].Start, parts[i].Stop, null);
        return Slice(e, parts[0].Start, parts[0].Stop, windows);
    }

    private static Encoding Slice(Encoding e, int start, int stop, Encoding[]? overflowing) => new(
        e.Ids[start..stop], e.TypeIds[start..stop], e.Tokens[start..stop], e.WordIds[start..stop], e.Offsets[start..stop],
        e.SpecialTokensMask[start..stop], e.AttentionMask[start..stop], overflowing, null, wasTruncated: true, e.SourceText);

    /// <summary>Pads to <paramref name="targetLength"/> (overflowing windows too).</summary>
    public static Encoding Pad(Encoding e, int targetLength, int padId, int padTypeId, string padToken, SequenceSide direction)
    {
        var overflowing = e.OverflowingArray.Length == 0
            ? e.OverflowingArray
            : Array.ConvertAll(e.OverflowingArray, o => Pad(o, targetLength, padId, padTypeId, padToken, direction));
        if (e.Length >= targetLength)
            return ReferenceEquals(overflowing, e.OverflowingArray) ? e : WithOverflowing(e, overflowing);

        var pad = targetLength - e.Length;
        var left = direction == SequenceSide.Left;
        T[] Padded<T>(T[] values, T fill)
        {
            var result = new T[targetLength];
            var at = left ? pad : 0;
            values.CopyTo(result, at);
            var from = left ? 0 : values.Length;
            for (var i = 0; i < pad; i++) result[from + i] = fill;
            return result;
        }
        var ranges = e.SequenceRanges;
        if (left) ranges = Array.ConvertAll(ranges, r => r with { Start = r.Start + pad, End = r.End + pad });
        return new Encoding(Padded(e.Ids, padId), Padded(e.TypeIds, padTypeId), Padded(e.Tokens, padToken),
            Padded(e.WordIds, null), Padded(e.Offsets, default), Padded(e.SpecialTokensMask, 1), Padded(e.AttentionMask, 0),
            overflowing, ranges, e.WasTruncated);
    }

    internal static int[] Filled(int n, int value)
    {
        var a = new int[n];
        if (value != 0) Array.Fill(a, value);
        return a;
    }
}
