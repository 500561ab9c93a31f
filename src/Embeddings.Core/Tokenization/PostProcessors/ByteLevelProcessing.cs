using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PostProcessors;

/// <summary>
/// The <c>ByteLevel</c> post-processor: adds no tokens; with <c>trim_offsets</c> it moves token offsets past
/// the spaces a byte-level token starts or ends with.
/// </summary>
internal sealed class ByteLevelProcessing(bool addPrefixSpace, bool trimOffsets) : PostProcessor
{
    public static ByteLevelProcessing FromJson(JsonNode json) =>
        new(json.Bool("add_prefix_space", true), json.Bool("trim_offsets", true));

    public override int AddedTokens(bool isPair) => 0;

    public override SingleSequenceLayout SingleLayout(bool addSpecialTokens) => SingleSequenceLayout.Plain;

    public override List<Encoding> ProcessEncodings(List<Encoding> encodings, bool addSpecialTokens)
    {
        var result = new List<Encoding>(encodings.Count);
        for (var i = 0; i < encodings.Count; i++)
        {
            var e = encodings[i];
            if (trimOffsets)
            {
                e = TrimOffsets(e, addPrefixSpace);
                if (e.OverflowingArray.Length > 0)
                    e = EncodingOperations.WithOverflowing(e, Array.ConvertAll(e.OverflowingArray, o => TrimOffsets(o, addPrefixSpace)));
            }
            result.Add(EncodingOperations.WithSequenceId(e, i));
        }
        return result;
    }

    /// <summary>
    /// Excludes leading and trailing spaces ('Ġ' or whitespace) of each token from its offsets; a single
    /// leading space of a sequence's first token is kept when <paramref name="addPrefixSpace"/> is set.
    /// </summary>
    public static Encoding TrimOffsets(Encoding e, bool addPrefixSpace)
    {
        TokenOffset[]? offsets = null;
        for (var i = 0; i < e.Length; i++)
        {
            var token = e.Tokens[i];
            var leading = 0;
            for (var k = 0; k < token.Length;)
            {
                var c = Utf16.CodePointAt(token, k, out var len);
                if (c != ByteLevelAlphabet.Space && !CharClass.IsWhitespace(c)) break;
                leading++;
                k += len;
            }
            var trailing = 0;
            for (var k = token.Length; k > 0;)
            {
                var c = Utf16.CodePointBefore(token, k, out var len);
                if (c != ByteLevelAlphabet.Space && !CharClass.IsWhitespace(c)) break;
                trailing++;
                k -= len;
            }
            if (leading == 0 && trailing == 0) continue;
            offsets ??= (TokenOffset[])e.Offsets.Clone();
            var (start, end) = offsets[i];
            if (leading > 0)
            {
                var isFirst = i == 0 || start == 0;
                if (isFirst && addPrefixSpace && leading == 1) leading = 0;
                start = Math.Min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) end = Math.Max(end - trailing, start);
            offsets[i] = new TokenOffset(start, end);
        }
        return offsets is null ? e : EncodingOperations.WithOffsets(e, offsets);
    }
}
