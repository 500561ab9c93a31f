using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>
/// BERT's text cleaning: drops NUL, U+FFFD and control characters and turns whitespace into spaces, puts
/// spaces around CJK ideographs, strips accents (NFD, then drop nonspacing marks) and lowercases.
/// When <c>strip_accents</c> is null it follows <c>lowercase</c>.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : Normalizer
{
    private bool StripAccents => stripAccents ?? lowercase;

    /// <summary>Whether accents are stripped (NFD, then nonspacing marks dropped).</summary>
    internal bool StripsAccents => StripAccents;

    public static BertNormalizer FromJson(JsonNode json) => new(
        json.Bool("clean_text", true),
        json.Bool("handle_chinese_chars", true),
        json.OptionalBool("strip_accents"),
        json.Bool("lowercase", true));

    public override void Normalize(NormalizedText text)
    {
        if (TryNormalizeAscii(text)) return;
        if (cleanText)
        {
            text.Filter(static c => !(c == 0 || c == 0xFFFD || IsControl(c)));
            text.Map(static c => IsWhitespace(c) ? ' ' : c);
        }
        if (handleChineseChars) SpaceOutChineseChars(text);
        if (StripAccents)
        {
            UnicodeNormalization.Apply(text, NormalizationForm.D);
            text.Filter(static c => !LegacyCategories.IsNonspacingMark(c));
        }
        if (lowercase) text.Lowercase();
    }

    // ASCII text without removable control characters: every step is a one-for-one change (tab and line
    // breaks to spaces, lowercase) or a no-op (no CJK, nothing to decompose or strip), done in place.
    private bool TryNormalizeAscii(NormalizedText text)
    {
        var chars = text.TextForInPlaceEdit;
        if (!System.Text.Ascii.IsValid(chars)) return false;
        if (cleanText)
            foreach (var c in chars)
                if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || c == '\x7F') return false;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (cleanText && c is '\t' or '\n' or '\r') chars[i] = ' ';
            else if (lowercase && (uint)(c - 'A') <= 'Z' - 'A') chars[i] = (char)(c | 0x20);
        }
        return true;
    }

    private static bool IsWhitespace(int c) => c is '\t' or '\n' or '\r' || CharClass.IsWhitespace(c);

    private static bool IsControl(int c) => c is not ('\t' or '\n' or '\r') && LegacyCategories.IsOther(c);

    /// <summary>The CJK Unified Ideographs blocks BERT treats as single-character words.</summary>
    public static bool IsChineseChar(int c) => c is
        (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or
        (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF) or
        (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static void SpaceOutChineseChars(NormalizedText text)
    {
        var span = text.Text;
        var any = false;
        for (var i = 0; i < span.Length && !any;)
        {
            any = IsChineseChar(Utf16.CodePointAt(span, i, out var len));
            i += len;
        }
        if (!any) return;
        var t = text.BeginTransform();
        for (var i = 0; i < span.Length;)
        {
            var c = Utf16.CodePointAt(span, i, out var len);
            i += len;
            if (IsChineseChar(c))
            {
                t.Push(' ', 0);
                t.Push(c, 1);
                t.Push(' ', 1);
            }
            else t.Push(c, 0);
        }
        t.Commit();
    }
}
