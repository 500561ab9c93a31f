using System.Text;

namespace Embeddings.Tokenization.Text;

/// <summary>
/// A handle on one piece of a <see cref="PreTokenizedString"/>: its normalized text and the operations that
/// rewrite it while keeping every unit aligned with the original text (the reference implementation's
/// <c>NormalizedString</c> operations).
/// </summary>
internal readonly struct NormalizedText(PreTokenizedString owner, int index)
{
    /// <summary>The normalized text.</summary>
    public ReadOnlySpan<char> Text => owner.Text(index);

    /// <summary>
    /// The normalized text for one-for-one edits in place (each unit replaced by one unit keeps its alignment).
    /// </summary>
    public Span<char> TextForInPlaceEdit
    {
        get
        {
            ref var p = ref owner[index];
            return owner.Chars.AsSpan(p.Start, p.Length);
        }
    }

    /// <summary>Length of the normalized text in UTF-16 units.</summary>
    public int Length => owner[index].Length;

    /// <summary>True when the normalized text is empty.</summary>
    public bool IsEmpty => owner[index].Length == 0;

    /// <summary>Absolute offset of the piece's original text.</summary>
    public int OriginalStart => owner[index].Shift;

    /// <summary>Starts rewriting the whole text; see <see cref="Transformer"/>.</summary>
    public Transformer BeginTransform(int initialOffset = 0) => new(owner, index, initialOffset);

    /// <summary>Starts rewriting the units <c>[start, end)</c>; the rest is kept.</summary>
    public Transformer BeginTransform(int start, int end) => new(owner, index, start, end);

    /// <summary>
    /// Replaces every code point by <paramref name="map"/>'s result. Done in place when no code point changes
    /// its UTF-16 length (alignments stay), otherwise as a transformation with one output per input. The map
    /// must be idempotent (all in use are): characters mapped before a length change are mapped again.
    /// </summary>
    public void Map(Func<int, int> map)
    {
        var chars = TextForInPlaceEdit;
        for (var i = 0; i < chars.Length;)
        {
            var c = Utf16.CodePointAt(chars, i, out var len);
            var m = map(c);
            if (m == c) { i += len; continue; }
            if (Utf16.Length(m) != len)
            {
                MapByTransform(map);
                return;
            }
            Utf16.Write(chars, i, m);
            i += len;
        }
    }

    // Reading the old text while the transformation appends is safe: growing the arena leaves the old array,
    // which the span still refers to, as it was.
    private void MapByTransform(Func<int, int> map)
    {
        var copy = Text;
        var t = BeginTransform();
        for (var i = 0; i < copy.Length;)
        {
            var c = Utf16.CodePointAt(copy, i, out var len);
            t.Push(map(c), 0);
            i += len;
        }
        t.Commit();
    }

    /// <summary>Removes the code points for which <paramref name="keep"/> is false; kept ones keep their alignment.</summary>
    public void Filter(Func<int, bool> keep)
    {
        var text = Text;
        var firstRemoved = -1;
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            if (!keep(c)) { firstRemoved = i; break; }
            i += len;
        }
        if (firstRemoved < 0) return;

        // The reference emits (char, -removed_after) pairs and skips the leading removed characters; each kept
        // character is emitted once the removals after it are counted.
        var t = default(Transformer);
        var started = false;
        var lastKept = -1;
        var removed = 0;
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            i += len;
            if (!keep(c))
            {
                removed++;
                continue;
            }
            if (!started)
            {
                t = BeginTransform(removed);
                started = true;
            }
            else t.Push(lastKept, -removed);
            lastKept = c;
            removed = 0;
        }
        if (!started) t = BeginTransform(removed);
        else t.Push(lastKept, -removed);
        t.Commit();
    }

    /// <summary>Lowercases with Unicode's full lowercase mapping, like Rust's <c>char::to_lowercase</c>.</summary>
    public void Lowercase()
    {
        var text = Text;
        var expands = false;
        var changes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u0130') { expands = true; break; }
            if (c < 0x80 ? (uint)(c - 'A') <= 'Z' - 'A' : c >= 0xC0) changes = true;
        }
        if (!changes && !expands) return;
        if (!expands)
        {
            Map(ToLower);
            return;
        }
        var t = BeginTransform();
        for (var i = 0; i < text.Length;)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            i += len;
            if (c == 0x130)
            {
                t.Push('i', 0);
                t.Push(0x307, 1);
            }
            else t.Push(ToLower(c), 0);
        }
        t.Commit();
    }

    private static int ToLower(int c)
    {
        if (c < 0x80) return (uint)(c - 'A') <= 'Z' - 'A' ? c | 0x20 : c;
        return Rune.ToLowerInvariant(new Rune(c)).Value;
    }

    /// <summary>Removes leading and/or trailing whitespace (Unicode White_Space).</summary>
    public void Strip(bool left, bool right)
    {
        var text = Text;
        var count = Utf16.CountCodePoints(text);
        var leading = 0;
        if (left)
            for (var i = 0; i < text.Length;)
            {
                var c = Utf16.CodePointAt(text, i, out var len);
                if (!CharClass.IsWhitespace(c)) break;
                leading++;
                i += len;
            }
        var trailing = 0;
        if (right)
            for (var i = text.Length; i > 0;)
            {
                var c = Utf16.CodePointBefore(text, i, out var len);
                if (!CharClass.IsWhitespace(c)) break;
                trailing++;
                i -= len;
            }
        if (leading == 0 && trailing == 0) return;

        var t = BeginTransform(leading);
        var index = 0;
        for (var i = 0; i < text.Length; index++)
        {
            var c = Utf16.CodePointAt(text, i, out var len);
            i += len;
            if (index < leading || index >= count - trailing) continue;
            t.Push(c, index == count - trailing - 1 ? -trailing : 0);
        }
        t.Commit();
    }

    /// <summary>Inserts <paramref name="prefix"/> before the first character, aligned with it (no-op when empty).</summary>
    public void Prepend(string prefix)
    {
        var text = Text;
        if (text.Length == 0 || prefix.Length == 0) return;
        var first = Utf16.CodePointAt(text, 0, out var firstLength);
        var t = BeginTransform(0, firstLength);
        var k = 0;
        for (var i = 0; i < prefix.Length; k++)
        {
            var c = Utf16.CodePointAt(prefix, i, out var len);
            i += len;
            t.Push(c, k == 0 ? 0 : 1);
        }
        t.Push(first, 1);
        t.Commit();
    }

    /// <summary>
    /// Replaces each match <c>[start, end)</c> (ascending, non-overlapping) with <paramref name="content"/>, every
    /// new character aligned with the last unit of its match.
    /// </summary>
    public void Replace(IReadOnlyList<(int Start, int End)> matches, string content)
    {
        if (matches.Count == 0) return;
        ref var p = ref owner[index];
        var oldStart = p.Start;
        var oldEnd = p.Start + p.Length;
        var shift = p.Shift;
        var newStart = owner.Used;
        var last = oldStart;
        foreach (var (start, end) in matches)
        {
            var s = oldStart + start;
            var e = oldStart + end;
            owner.AppendCopy(last, s);
            int alignStart, alignEnd;
            if (e > oldStart)
            {
                alignStart = owner.AlignStart[e - 1];
                alignEnd = owner.AlignEnd[e - 1];
            }
            else alignStart = alignEnd = shift;
            foreach (var c in content) owner.Append(c, alignStart, alignEnd);
            last = e;
        }
        owner.AppendCopy(last, oldEnd);
        ref var q = ref owner[index];
        q.Start = newStart;
        q.Length = owner.Used - newStart;
    }
}

/// <summary>
/// Rewrites a range of a piece from a stream of (character, change) pairs, as the reference implementation's
/// <c>transform_range</c> does: change 0 replaces the next original character, a positive change inserts a
/// character (aligned with the previous one), a negative change replaces the next character and removes that
/// many more after it. The new text is appended to the arena and the piece is moved onto it at
/// <see cref="Commit"/>.
/// </summary>
internal struct Transformer
{
    private readonly PreTokenizedString _owner;
    private readonly int _index;
    private readonly int _rangeStart;
    private readonly int _rangeEnd;
    private readonly int _pieceEnd;
    private readonly int _shift;
    private readonly int _newStart;
    private int _read;

    /// <summary>Rewrites the whole piece, after skipping <paramref name="initialOffset"/> removed characters.</summary>
    public Transformer(PreTokenizedString owner, int index, int initialOffset)
    {
        _owner = owner;
        _index = index;
        ref var p = ref owner[index];
        _pieceEnd = p.Start + p.Length;
        _shift = p.Shift;
        // The reference maps the piece's whole original range back to normalized units, which starts at the
        // first unit with a non-empty alignment; units before it are left as they are.
        var first = p.Start;
        while (first < _pieceEnd && owner.AlignStart[first] == owner.AlignEnd[first]) first++;
        _rangeStart = first;
        _rangeEnd = _pieceEnd;
        _newStart = owner.Used;
        owner.AppendCopy(p.Start, first);
        _read = first;
        for (var k = 0; k < initialOffset && _read < _rangeEnd; k++) Skip();
    }

    /// <summary>Rewrites the units <c>[start, end)</c> of the piece (relative offsets); the rest is kept.</summary>
    public Transformer(PreTokenizedString owner, int index, int start, int end)
    {
        _owner = owner;
        _index = index;
        ref var p = ref owner[index];
        _pieceEnd = p.Start + p.Length;
        _shift = p.Shift;
        _rangeStart = p.Start + start;
        _rangeEnd = p.Start + end;
        _newStart = owner.Used;
        owner.AppendCopy(p.Start, _rangeStart);
        _read = _rangeStart;
    }

    /// <summary>Emits <paramref name="codePoint"/> with the given change (see the type's summary).</summary>
    public void Push(int codePoint, int change)
    {
        var starts = _owner.AlignStart;
        var ends = _owner.AlignEnd;
        int s, e;
        if (change > 0)
        {
            if (_read == _owner[_index].Start) s = e = _shift;
            else
            {
                s = starts[_read - 1];
                e = ends[_read - 1];
            }
        }
        else
        {
            var at = _read < _rangeEnd ? _read : _rangeEnd - 1;
            if (at >= _rangeStart)
            {
                s = starts[at];
                e = ends[at];
            }
            else s = e = _shift;
            if (_read < _rangeEnd) Skip();
        }
        for (var k = change; k < 0 && _read < _rangeEnd; k++) Skip();
        _owner.AppendCodePoint(codePoint, s, e);
    }

    /// <summary>Moves the piece onto the rewritten text.</summary>
    public readonly void Commit()
    {
        _owner.AppendCopy(_rangeEnd, _pieceEnd);
        ref var p = ref _owner[_index];
        p.Start = _newStart;
        p.Length = _owner.Used - _newStart;
    }

    private void Skip()
    {
        var chars = _owner.Chars;
        _read += char.IsHighSurrogate(chars[_read]) && _read + 1 < _rangeEnd && char.IsLowSurrogate(chars[_read + 1]) ? 2 : 1;
    }
}
