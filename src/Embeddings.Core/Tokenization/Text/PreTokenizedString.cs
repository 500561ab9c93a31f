using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization.Text;

/// <summary>
/// One sequence on its way through the pipeline: a list of pieces ("splits"), each holding normalized text
/// and, for every UTF-16 unit of it, the range of the original text it stands for (the alignment).
/// </summary>
/// <remarks>
/// All pieces live in one append-only arena: slicing a piece only creates a new view, and a transformation
/// (normalization, byte-level mapping, ...) appends the new text after the existing one and moves the view.
/// Alignments are absolute offsets into the original text, so a token's offsets are read directly from
/// the alignments of its first and last unit. The semantics follow the reference implementation's
/// <c>NormalizedString</c> and <c>PreTokenizedString</c>, with UTF-16 units where it uses UTF-8 bytes.
/// An instance is reused across calls by one thread at a time.
/// </remarks>
internal sealed class PreTokenizedString
{
    private const int LongTextUnits = 1 << 18;

    private char[] _chars = new char[256];
    private int[] _alignStart = new int[256];
    private int[] _alignEnd = new int[256];
    private int _used;

    private Piece[] _pieces = new Piece[16];
    private int _pieceCount;
    private Piece[] _next = new Piece[16];
    private int _nextCount;

    /// <summary>The tokens of the pieces that have been tokenized.</summary>
    public TokenList Tokens { get; } = new();

    /// <summary>Units the arena can hold without growing.</summary>
    public int Capacity => _chars.Length;

    /// <summary>Number of pieces.</summary>
    public int Count => _pieceCount;

    internal char[] Chars => _chars;
    internal int[] AlignStart => _alignStart;
    internal int[] AlignEnd => _alignEnd;
    internal int Used => _used;

    /// <summary>
    /// Starts over with a single piece holding <paramref name="original"/> (none when it is empty). Lone
    /// surrogates become U+FFFD, as converting to UTF-8 does in the reference; the length is unchanged.
    /// <paramref name="baseOffset"/> is where <paramref name="original"/> starts in the caller's text (non-zero
    /// for a window of a longer text), so alignments, and with them token offsets, index the caller's text.
    /// </summary>
    public void Reset(ReadOnlySpan<char> original, int baseOffset = 0)
    {
        _used = 0;
        _pieceCount = 0;
        Tokens.Clear();
        if (original.IsEmpty) return;
        // Normalizers and byte-level mapping append a transformed copy after the original: for a long text, room for
        // both up front avoids growing the arena (which briefly holds the old and the new arrays) mid-way.
        EnsureArena(original.Length > LongTextUnits ? (int)Math.Min(2L * original.Length + 1024, Array.MaxLength) : original.Length);
        original.CopyTo(_chars);
        var hasSurrogates = original.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
        for (var i = 0; i < original.Length; i++)
        {
            _alignStart[i] = baseOffset + i;
            _alignEnd[i] = baseOffset + i + 1;
        }
        if (hasSurrogates)
            for (var i = 0; i < original.Length; i++)
            {
                var c = _chars[i];
                if (!char.IsSurrogate(c)) continue;
                if (char.IsHighSurrogate(c) && i + 1 < original.Length && char.IsLowSurrogate(_chars[i + 1]))
                {
                    _alignEnd[i] = baseOffset + i + 2;
                    _alignStart[i + 1] = baseOffset + i;
                    _alignEnd[i + 1] = baseOffset + i + 2;
                    i++;
                }
                else _chars[i] = Utf16.Replacement;
            }
        _used = original.Length;
        _pieces[0] = new Piece(0, original.Length, baseOffset, original.Length);
        _pieceCount = 1;
    }

    /// <summary>The piece at <paramref name="index"/>.</summary>
    public ref Piece this[int index] => ref _pieces[index];

    /// <summary>The normalized text of a piece.</summary>
    public ReadOnlySpan<char> Text(int index)
    {
        ref var p = ref _pieces[index];
        return _chars.AsSpan(p.Start, p.Length);
    }

    /// <summary>The normalized text of a piece as a view of the arena.</summary>
    public NormalizedText Normalized(int index) => new(this, index);

    // ---- splitting ---------------------------------------------------------------------------------

    /// <summary>Begins replacing the pieces; every current piece must be passed on or sliced before <see cref="EndSplit"/>.</summary>
    public void BeginSplit() => _nextCount = 0;

    /// <summary>Passes a piece on unchanged.</summary>
    public void Keep(int index) => PushNext(_pieces[index]);

    /// <summary>
    /// Passes on the part <c>[start, end)</c> (normalized UTF-16 units, relative to the piece) as a new piece.
    /// Empty parts are dropped, as in the reference implementation. Returns the new piece's index or -1.
    /// </summary>
    public int Slice(int index, int start, int end)
    {
        if (end <= start) return -1;
        ref var p = ref _pieces[index];
        var first = p.Start + start;
        var last = p.Start + end - 1;
        var shift = _alignStart[first];
        var originalLength = Math.Max(0, _alignEnd[last] - shift);
        PushNext(new Piece(first, end - start, shift, originalLength));
        return _nextCount - 1;
    }

    /// <summary>Marks a piece passed on by <see cref="Slice"/> as already tokenized into one token.</summary>
    public void SetSingleToken(int nextIndex, int id, string? value)
    {
        ref var p = ref _next[nextIndex];
        p.TokenStart = Tokens.Count;
        p.TokenCount = 1;
        Tokens.Add(id, 0, p.Length, value);
    }

    /// <summary>Makes the pieces passed on since <see cref="BeginSplit"/> the current ones.</summary>
    public void EndSplit()
    {
        (_pieces, _next) = (_next, _pieces);
        _pieceCount = _nextCount;
        _nextCount = 0;
    }

    private void PushNext(in Piece piece)
    {
        if (_nextCount == _next.Length) Array.Resize(ref _next, _next.Length * 2);
        _next[_nextCount++] = piece;
    }

    // ---- tokenization --------------------------------------------------------------------------------

    /// <summary>Records the tokens added to <see cref="Tokens"/> since <paramref name="firstToken"/> as the piece's tokens.</summary>
    public void SetTokens(int index, int firstToken)
    {
        ref var p = ref _pieces[index];
        p.TokenStart = firstToken;
        p.TokenCount = Tokens.Count - firstToken;
    }

    /// <summary>Keeps only the pieces <c>[from, to)</c>.</summary>
    public void KeepRange(int from, int to)
    {
        if (from > 0) Array.Copy(_pieces, from, _pieces, 0, to - from);
        _pieceCount = to - from;
    }

    // ---- arena -----------------------------------------------------------------------------------------

    internal void EnsureArena(int extra)
    {
        var needed = _used + extra;
        if (needed <= _chars.Length) return;
        var size = Math.Max(needed, _chars.Length * 2);
        Array.Resize(ref _chars, size);
        Array.Resize(ref _alignStart, size);
        Array.Resize(ref _alignEnd, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Append(char c, int start, int end)
    {
        if (_used == _chars.Length) EnsureArena(1);
        _chars[_used] = c;
        _alignStart[_used] = start;
        _alignEnd[_used] = end;
        _used++;
    }

    internal void AppendCodePoint(int codePoint, int start, int end)
    {
        if (codePoint < 0x10000)
        {
            Append((char)codePoint, start, end);
            return;
        }
        var v = codePoint - 0x10000;
        Append((char)(0xD800 + (v >> 10)), start, end);
        Append((char)(0xDC00 + (v & 0x3FF)), start, end);
    }

    /// <summary>Copies arena units <c>[from, to)</c> with their alignments to the end of the arena.</summary>
    internal void AppendCopy(int from, int to)
    {
        var n = to - from;
        if (n <= 0) return;
        EnsureArena(n);
        Array.Copy(_chars, from, _chars, _used, n);
        Array.Copy(_alignStart, from, _alignStart, _used, n);
        Array.Copy(_alignEnd, from, _alignEnd, _used, n);
        _used += n;
    }

    /// <summary>A piece: a view of the arena plus where its original text starts.</summary>
    internal struct Piece(int start, int length, int shift, int originalLength)
    {
        /// <summary>First arena unit.</summary>
        public int Start = start;

        /// <summary>Number of normalized UTF-16 units.</summary>
        public int Length = length;

        /// <summary>Absolute offset of the piece's original text (the reference's <c>original_shift</c>).</summary>
        public int Shift = shift;

        /// <summary>Length of the piece's original text.</summary>
        public int OriginalLength = originalLength;

        /// <summary>First token in <see cref="Tokens"/>, or -1 while untokenized.</summary>
        public int TokenStart = -1;

        /// <summary>Number of tokens.</summary>
        public int TokenCount;

        public readonly bool IsTokenized => TokenStart >= 0;
    }
}
