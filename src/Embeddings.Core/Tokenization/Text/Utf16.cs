using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization.Text;

/// <summary>Code point access over UTF-16 text.</summary>
internal static class Utf16
{
    /// <summary>The replacement character that stands for a lone surrogate.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>
    /// Reads the code point at <paramref name="index"/> and its length in UTF-16 units. A lone surrogate reads as
    /// itself with length 1 (callers sanitize input first, so this only matters for robustness).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int length)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }
        length = 1;
        return c;
    }

    /// <summary>Reads the code point that ends just before <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CodePointBefore(ReadOnlySpan<char> text, int end, out int length)
    {
        var c = text[end - 1];
        if (char.IsLowSurrogate(c) && end >= 2 && char.IsHighSurrogate(text[end - 2]))
        {
            length = 2;
            return char.ConvertToUtf32(text[end - 2], c);
        }
        length = 1;
        return c;
    }

    /// <summary>Number of UTF-16 units of a code point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(int codePoint) => codePoint >= 0x10000 ? 2 : 1;

    /// <summary>Number of code points in the text.</summary>
    public static int CountCodePoints(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1])) { count--; i++; }
        return count;
    }

    /// <summary>Writes a code point to a character buffer at <paramref name="index"/>; returns the units written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<char> destination, int index, int codePoint)
    {
        if (codePoint < 0x10000)
        {
            destination[index] = (char)codePoint;
            return 1;
        }
        var v = codePoint - 0x10000;
        destination[index] = (char)(0xD800 + (v >> 10));
        destination[index + 1] = (char)(0xDC00 + (v & 0x3FF));
        return 2;
    }
}
