using System.Text.Unicode;

namespace Embeddings.Server.Http;

/// <summary>
/// Checks a request body's text before it is parsed. The JSON parser checks structure, not text: invalid UTF-8
/// or an unpaired surrogate escape (<c>\ud800</c>) inside a string would only fail where the string is read, as an
/// exception the routes did not expect (a 500). TEI's parser refuses both; so does this server, with a 422.
/// </summary>
internal static class RequestText
{
    /// <summary>Why <paramref name="utf8"/> is not valid Unicode text, or null when it is.</summary>
    public static string? InvalidUnicodeReason(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8)) return "it is not valid UTF-8";
        for (int i = utf8.IndexOf((byte)'\\'); i >= 0 && i < utf8.Length - 1;)
        {
            if (utf8[i + 1] != (byte)'u')
            {
                i = Next(utf8, i + 2);
                continue;
            }
            int unit = Hex4(utf8, i + 2);
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                bool paired = i + 11 < utf8.Length && utf8[i + 6] == (byte)'\\' && utf8[i + 7] == (byte)'u'
                    && Hex4(utf8, i + 8) is >= 0xDC00 and <= 0xDFFF;
                if (!paired) return $"an unpaired surrogate escape \\u{unit:x4}";
                i = Next(utf8, i + 12);
                continue;
            }
            if (unit is >= 0xDC00 and <= 0xDFFF) return $"an unpaired surrogate escape \\u{unit:x4}";
            i = Next(utf8, i + 6);
        }
        return null;
    }

    private static int Next(ReadOnlySpan<byte> utf8, int from)
    {
        if (from >= utf8.Length) return -1;
        int next = utf8[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    // The value of four hex digits at `at`, or -1 (the parser reports a malformed escape itself).
    private static int Hex4(ReadOnlySpan<byte> utf8, int at)
    {
        if (at + 4 > utf8.Length) return -1;
        int value = 0;
        for (int k = 0; k < 4; k++)
        {
            int digit = HexDigit(utf8[at + k]);
            if (digit < 0) return -1;
            value = value * 16 + digit;
        }
        return value;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
