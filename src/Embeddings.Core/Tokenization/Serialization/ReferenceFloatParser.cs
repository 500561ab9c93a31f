using System.Globalization;

namespace Embeddings.Tokenization.Serialization;

/// <summary>
/// Reads a JSON number the way the reference implementation's JSON library (serde_json, default features)
/// does: the decimal digits are gathered into a 64-bit integer (digits beyond its range are dropped), converted
/// to a double, then multiplied or divided by a power of ten. That can differ from the correctly rounded value
/// by one unit in the last place, and Unigram segmentations depend on it when two paths score the same
/// mathematically (for example "-" + "---" against "---" + "-"), so scores are read this way.
/// </summary>
internal static class ReferenceFloatParser
{
    private static readonly double[] Powers = Enumerable.Range(0, 309)
        .Select(i => double.Parse($"1e{i}", NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Parses the text of a JSON number; false when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var i = 0;
        var positive = true;
        if (i < text.Length && text[i] == '-')
        {
            positive = false;
            i++;
        }
        if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;

        ulong significand = 0;
        var exponent = 0;
        var overflowed = false;
        // Integer part: once the next digit would overflow, further digits only scale the exponent.
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            var digit = (ulong)(text[i] - '0');
            if (!overflowed && significand <= (ulong.MaxValue - digit) / 10) significand = significand * 10 + digit;
            else
            {
                overflowed = true;
                exponent++;
            }
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var digits = 0;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
            {
                var digit = (ulong)(text[i] - '0');
                if (overflowed || significand > (ulong.MaxValue - digit) / 10)
                {
                    overflowed = true;
                    continue;
                }
                significand = significand * 10 + digit;
                exponent--;
            }
            if (digits == 0) return false;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            var positiveExponent = true;
            if (i < text.Length && text[i] is '+' or '-')
            {
                positiveExponent = text[i] == '+';
                i++;
            }
            if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
            long e = 0;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++) e = Math.Min(e * 10 + (text[i] - '0'), int.MaxValue);
            exponent = (int)Math.Clamp(positiveExponent ? (long)exponent + e : (long)exponent - e, int.MinValue, int.MaxValue);
        }
        if (i != text.Length) return false;

        var f = (double)significand;
        while (true)
        {
            var magnitude = Math.Abs((long)exponent);
            if (magnitude < Powers.Length)
            {
                f = exponent >= 0 ? f * Powers[magnitude] : f / Powers[magnitude];
                break;
            }
            if (f == 0 || exponent >= 0)
            {
                if (exponent >= 0 && f != 0) f = double.PositiveInfinity;
                break;
            }
            f /= 1e308;
            exponent += 308;
        }
        value = positive ? f : -f;
        return true;
    }
}
