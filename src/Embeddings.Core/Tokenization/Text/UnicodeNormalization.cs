using System.Buffers;

namespace Embeddings.Tokenization.Text;

/// <summary>The four Unicode normalization forms.</summary>
internal enum NormalizationForm
{
    /// <summary>Canonical decomposition.</summary>
    D,

    /// <summary>Canonical decomposition, then canonical composition.</summary>
    C,

    /// <summary>Compatibility decomposition.</summary>
    KD,

    /// <summary>Compatibility decomposition, then canonical composition.</summary>
    KC,
}

/// <summary>
/// Unicode normalization that reports, for every output character, how it relates to the input characters,
/// so alignments survive. It reproduces the (character, change) stream of the <c>unicode-normalization-alignments</c>
/// crate the reference implementation uses: a decomposition's first character replaces its source (change 0)
/// and the others are insertions (change 1); canonical reordering moves characters together with their
/// changes; a composition merges two entries into one whose change is the sum of theirs minus one.
/// </summary>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>Normalizes the piece in place (a no-op when the text is already in the form).</summary>
    public static void Apply(NormalizedText text, NormalizationForm form)
    {
        if (!IsStable(text.Text, form)) ApplyFull(text, form);
    }

    /// <summary>Normalizes the piece without first checking whether it is already stable.</summary>
    internal static void ApplyFull(NormalizedText text, NormalizationForm form)
    {
        var span = text.Text;
        var compatibility = form is NormalizationForm.KD or NormalizationForm.KC;
        var buffer = new Decomposed(span.Length * 2 + 8);
        try
        {
            for (var i = 0; i < span.Length;)
            {
                var c = Utf16.CodePointAt(span, i, out var len);
                i += len;
                Decompose(c, compatibility, ref buffer);
            }
            buffer.ReorderTail();

            var t = text.BeginTransform();
            if (form is NormalizationForm.D or NormalizationForm.KD)
                for (var k = 0; k < buffer.Count; k++) t.Push(buffer.Chars[k], buffer.Changes[k]);
            else
                Recompose(ref buffer, ref t);
            t.Commit();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static readonly ulong[]?[] StableBmp = new ulong[]?[4];
    [ThreadStatic] private static List<(int Char, int Change)>? t_blocked;

    /// <summary>
    /// True when every character of <paramref name="text"/> is left alone by <paramref name="form"/> whatever its
    /// neighbours (then normalization would change nothing, alignments included).
    /// </summary>
    public static bool IsStable(ReadOnlySpan<char> text, NormalizationForm form)
    {
        var below = form switch
        {
            NormalizationForm.C => '\u0300',
            NormalizationForm.D => '\u00C0',
            _ => '\u00A0',
        };
        var first = text.IndexOfAnyExceptInRange('\0', (char)(below - 1));
        if (first < 0) return true;
        var bits = StableBmp[(int)form] ??= BuildStableBmp(form);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                var cp = Utf16.CodePointAt(text, i, out var len);
                if (!IsStableCharacter(cp, form)) return false;
                i += len - 1;
                continue;
            }
            if ((bits[c >> 6] & (1UL << (c & 63))) == 0) return false;
        }
        return true;
    }

    private static ulong[] BuildStableBmp(NormalizationForm form)
    {
        var bits = new ulong[0x10000 / 64];
        for (var c = 0; c < 0x10000; c++)
            if (!char.IsSurrogate((char)c) && IsStableCharacter(c, form)) bits[c >> 6] |= 1UL << (c & 63);
        return bits;
    }

    /// <summary>
    /// A starter that no normalization of the form rewrites and that never combines with a preceding character:
    /// without a decomposition (D, KD), or whose decomposition composes back to itself (C, KC).
    /// </summary>
    internal static bool IsStableCharacter(int c, NormalizationForm form)
    {
        if (UnicodeTables.CombiningClass(c) != 0) return false;
        if (c is >= SBase and < SBase + SCount) return form is NormalizationForm.C or NormalizationForm.KC;
        if (c is >= LBase and < 0x1200 || UnicodeTables.IsCompositionSecond(c)) return false;
        var compatibility = form is NormalizationForm.KD or NormalizationForm.KC;
        var d = compatibility ? UnicodeTables.CompatibilityDecomposition(c) : default;
        if (d.IsEmpty) d = UnicodeTables.CanonicalDecomposition(c);
        if (d.IsEmpty) return true;
        if (form is NormalizationForm.D or NormalizationForm.KD) return false;
        var composed = d[0];
        for (var k = 1; k < d.Length; k++)
            if (!UnicodeTables.TryCompose(composed, d[k], out composed)) return false;
        return composed == c;
    }

    private static void Decompose(int c, bool compatibility, ref Decomposed buffer)
    {
        if (c < 0xA0)
        {
            buffer.Add(c, 0);
            return;
        }
        if (c is >= SBase and < SBase + SCount)
        {
            var s = c - SBase;
            buffer.Add(LBase + s / NCount, 0);
            buffer.Add(VBase + s % NCount / TCount, 1);
            if (s % TCount != 0) buffer.Add(TBase + s % TCount, 1);
            return;
        }
        var d = compatibility ? UnicodeTables.CompatibilityDecomposition(c) : default;
        if (d.IsEmpty) d = UnicodeTables.CanonicalDecomposition(c);
        if (d.IsEmpty)
        {
            buffer.Add(c, 0);
            return;
        }
        for (var k = 0; k < d.Length; k++) buffer.Add(d[k], k == 0 ? 0 : 1);
    }

    private static void Recompose(ref Decomposed input, ref Transformer output)
    {
        var hasComposee = false;
        int composee = 0, composeeChange = 0;
        var lastClass = -1; // -1: no character since the composee
        var blocked = t_blocked ??= [];
        blocked.Clear();

        for (var k = 0; k < input.Count; k++)
        {
            var ch = input.Chars[k];
            var change = input.Changes[k];
            var chClass = input.Classes[k];
            if (!hasComposee)
            {
                if (chClass != 0)
                {
                    output.Push(ch, change);
                    continue;
                }
                hasComposee = true;
                composee = ch;
                composeeChange = change;
                continue;
            }
            if (lastClass < 0)
            {
                if (TryCompose(composee, ch, out var r))
                {
                    composee = r;
                    composeeChange += change - 1;
                    continue;
                }
                if (chClass == 0)
                {
                    output.Push(composee, composeeChange);
                    composee = ch;
                    composeeChange = change;
                    continue;
                }
                blocked.Add((ch, change));
                lastClass = chClass;
                continue;
            }
            if (lastClass >= chClass)
            {
                if (chClass == 0)
                {
                    output.Push(composee, composeeChange);
                    foreach (var (b, bc) in blocked) output.Push(b, bc);
                    blocked.Clear();
                    composee = ch;
                    composeeChange = change;
                    lastClass = -1;
                    continue;
                }
                blocked.Add((ch, change));
                lastClass = chClass;
                continue;
            }
            if (TryCompose(composee, ch, out var composed))
            {
                composee = composed;
                composeeChange += change - 1;
                continue;
            }
            blocked.Add((ch, change));
            lastClass = chClass;
        }
        if (hasComposee) output.Push(composee, composeeChange);
        foreach (var (b, bc) in blocked) output.Push(b, bc);
    }

    private static bool TryCompose(int a, int b, out int composite)
    {
        if (a is >= LBase and < LBase + LCount && b is >= VBase and < VBase + VCount)
        {
            composite = SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
            return true;
        }
        if (a is >= SBase and < SBase + SCount && (a - SBase) % TCount == 0 && b is > TBase and < TBase + TCount)
        {
            composite = a + (b - TBase);
            return true;
        }
        return UnicodeTables.TryCompose(a, b, out composite);
    }

    /// <summary>Decomposed characters with their changes and combining classes, canonically reordered.</summary>
    private struct Decomposed(int capacity) : IDisposable
    {
        public int[] Chars = ArrayPool<int>.Shared.Rent(capacity);
        public int[] Changes = ArrayPool<int>.Shared.Rent(capacity);
        public int[] Classes = ArrayPool<int>.Shared.Rent(capacity);
        public int Count;
        private int _runStart;

        public void Add(int c, int change)
        {
            var cls = UnicodeTables.CombiningClass(c);
            // A starter closes the run of non-starters before it, which is then put in canonical order.
            if (cls == 0) ReorderTail();
            if (Count == Chars.Length) Grow();
            Chars[Count] = c;
            Changes[Count] = change;
            Classes[Count] = cls;
            Count++;
            if (cls == 0) _runStart = Count;
        }

        /// <summary>Stable-sorts the non-starters added since the last starter by combining class.</summary>
        public void ReorderTail()
        {
            for (var i = _runStart + 1; i < Count; i++)
            {
                var (c, ch, cls) = (Chars[i], Changes[i], Classes[i]);
                var j = i - 1;
                while (j >= _runStart && Classes[j] > cls)
                {
                    Chars[j + 1] = Chars[j];
                    Changes[j + 1] = Changes[j];
                    Classes[j + 1] = Classes[j];
                    j--;
                }
                Chars[j + 1] = c;
                Changes[j + 1] = ch;
                Classes[j + 1] = cls;
            }
            _runStart = Count;
        }

        private void Grow()
        {
            var size = Chars.Length * 2;
            Chars = Resize(Chars, size, Count);
            Changes = Resize(Changes, size, Count);
            Classes = Resize(Classes, size, Count);
        }

        private static int[] Resize(int[] old, int size, int count)
        {
            var next = ArrayPool<int>.Shared.Rent(size);
            Array.Copy(old, next, count);
            ArrayPool<int>.Shared.Return(old);
            return next;
        }

        public readonly void Dispose()
        {
            ArrayPool<int>.Shared.Return(Chars);
            ArrayPool<int>.Shared.Return(Changes);
            ArrayPool<int>.Shared.Return(Classes);
        }
    }
}
