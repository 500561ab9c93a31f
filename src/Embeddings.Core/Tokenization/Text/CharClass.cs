using System.Globalization;

namespace Embeddings.Tokenization.Text;

/// <summary>
/// Character predicates with the meaning the reference implementation gives them (Rust <c>char</c> methods,
/// the <c>regex</c> crate's <c>\w</c>, Oniguruma's <c>\s</c>, <c>\p{L}</c> and <c>\p{N}</c>), over code points.
/// </summary>
internal static class CharClass
{
    /// <summary>Unicode White_Space (Rust <c>char::is_whitespace</c>; also Oniguruma's <c>\s</c>).</summary>
    public static bool IsWhitespace(int c) => c switch
    {
        >= 0x09 and <= 0x0D or 0x20 => true,
        < 0x85 => false,
        0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>General category L* (Oniguruma <c>\p{L}</c>).</summary>
    public static bool IsLetter(int c)
    {
        if (c < 0x80) return (uint)((c | 0x20) - 'a') <= 'z' - 'a';
        return Category(c) <= UnicodeCategory.OtherLetter;
    }

    /// <summary>General category N* (Oniguruma <c>\p{N}</c>; Rust <c>char::is_numeric</c>).</summary>
    public static bool IsNumber(int c)
    {
        if (c < 0x80) return (uint)(c - '0') <= 9;
        return Category(c) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
    }

    /// <summary>The <c>regex</c> crate's Unicode <c>\w</c>: Alphabetic, marks, Nd, Pc and Join_Control.</summary>
    public static bool IsWordChar(int c)
    {
        if (c < 0x80) return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_';
        if (c is 0x200C or 0x200D) return true;
        return Category(c) switch
        {
            <= UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation => true,
            _ => IsOtherAlphabetic(c),
        };
    }

    /// <summary>Marks of any kind (Mn, Mc, Me).</summary>
    public static bool IsCombiningMark(int c) =>
        c >= 0x300 && Category(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>ASCII punctuation (Rust <c>char::is_ascii_punctuation</c>).</summary>
    public static bool IsAsciiPunctuation(int c) =>
        c is (>= 0x21 and <= 0x2F) or (>= 0x3A and <= 0x40) or (>= 0x5B and <= 0x60) or (>= 0x7B and <= 0x7E);

    /// <summary>The general category of a code point.</summary>
    public static UnicodeCategory Category(int c) => CharUnicodeInfo.GetUnicodeCategory(c);

    // Symbols that carry the Alphabetic property (the circled and squared Latin letters).
    private static bool IsOtherAlphabetic(int c) =>
        c is (>= 0x24B6 and <= 0x24E9) or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);
}
