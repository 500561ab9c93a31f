using System.Buffers;
using System.Globalization;
using System.Text;
using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>
/// The <c>Precompiled</c> normalizer: SentencePiece's charsmap (usually nmt_nfkc), applied per grapheme
/// cluster (whole clusters shorter than 6 UTF-8 bytes first, else character by character), as the reference
/// implementation does.
/// </summary>
internal sealed class PrecompiledNormalizer : Normalizer
{
    [ThreadStatic] private static List<(int Char, int Change)>? t_changes;

    private readonly PrecompiledCharsMap _map;
    private readonly SearchValues<char> _changedAscii;

    public PrecompiledNormalizer(PrecompiledCharsMap map)
    {
        _map = map;
        // ASCII characters the map leaves alone; text made only of them is unchanged (CR LF, the only
        // multi-character ASCII cluster, is looked up as a pair too).
        var changed = new List<char>();
        for (var c = 0; c < 0x80; c++)
            if (map.Transform([(byte)c]) is not null) changed.Add((char)c);
        if (map.Transform("\r\n"u8) is not null) changed.AddRange(['\r', '\n']);
        _changedAscii = SearchValues.Create(changed.Distinct().ToArray());
    }

    public static PrecompiledNormalizer FromJson(JsonNode json)
    {
        var node = json.Required("precompiled_charsmap");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(node.AsString());
        }
        catch (FormatException e)
        {
            throw node.Error("precompiled_charsmap is not valid base64", e);
        }
        try
        {
            return new PrecompiledNormalizer(PrecompiledCharsMap.Parse(bytes));
        }
        catch (FormatException e)
        {
            throw node.Error(e.Message, e);
        }
    }

    public override void Normalize(NormalizedText text)
    {
        var span = text.Text;
        if (span.IsEmpty || (Ascii.IsValid(span) && !span.ContainsAny(_changedAscii))) return;
        var changes = t_changes ??= [];
        changes.Clear();
        var modified = false;
        Span<byte> utf8 = stackalloc byte[8];
        for (var g = 0; g < span.Length;)
        {
            // An unmapped ASCII character followed by ASCII is a cluster of its own that stays as it is.
            var c0 = span[g];
            if (c0 < 0x80 && (g + 1 == span.Length || span[g + 1] < 0x80) && !(c0 == '\r' && g + 1 < span.Length && span[g + 1] == '\n')
                && !_changedAscii.Contains(c0))
            {
                changes.Add((c0, 0));
                g++;
                continue;
            }
            var graphemeLength = StringInfo.GetNextTextElementLength(span[g..]);
            if (graphemeLength <= 0) graphemeLength = 1;
            var grapheme = span.Slice(g, graphemeLength);
            g += graphemeLength;
            if (System.Text.Encoding.UTF8.GetByteCount(grapheme) < 6)
            {
                var n = System.Text.Encoding.UTF8.GetBytes(grapheme, utf8);
                if (_map.Transform(utf8[..n]) is { } whole)
                {
                    modified = true;
                    Replace(changes, Utf16.CountCodePoints(grapheme), whole);
                    continue;
                }
            }
            for (var i = 0; i < grapheme.Length;)
            {
                var c = Utf16.CodePointAt(grapheme, i, out var len);
                var n = System.Text.Encoding.UTF8.GetBytes(grapheme.Slice(i, len), utf8);
                i += len;
                if (_map.Transform(utf8[..n]) is { } part)
                {
                    modified = true;
                    Replace(changes, 1, part);
                }
                else changes.Add((c, 0));
            }
        }
        if (!modified) return;
        var t = text.BeginTransform();
        foreach (var (c, change) in changes) t.Push(c, change);
        t.Commit();
    }

    // The new characters replace the old ones one for one; extra new ones are insertions, and missing ones
    // are removals charged to the last character emitted so far (possibly from an earlier cluster).
    private static void Replace(List<(int Char, int Change)> changes, int oldCount, string replacement)
    {
        var newCount = 0;
        for (var i = 0; i < replacement.Length; newCount++)
        {
            changes.Add((Utf16.CodePointAt(replacement, i, out var len), 0));
            i += len;
        }
        var diff = newCount - oldCount;
        if (diff > 0)
            for (var k = changes.Count - diff; k < changes.Count; k++) changes[k] = (changes[k].Char, 1);
        else if (diff < 0 && changes.Count > 0)
            changes[^1] = (changes[^1].Char, changes[^1].Change + diff);
    }
}
