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
    /// leading space of a sequence's first token is kept when <paramref name="addPrefixSpace"/> is set. As in the
    /// reference, the offsets move by one code point of the source text per space (a space added by
    /// <c>add_prefix_space</c> moves the start past the first character).
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
            var source = e.SourceText;
            if (leading > 0)
            {
                var isFirst = i == 0 || start == 0;
                if (isFirst && addPrefixSpace && leading == 1) leading = 0;
                start = source is null ? Math.Min(start + leading, end) : Advance(source, start, leading, end);
            }
            if (trailing > 0)
            {
                if (source is null)
                {
                    if (end >= trailing) end = Math.Max(end - trailing, start);
                }
                else if (HasCodePointsBefore(source, end, trailing)) end = Retreat(source, end, trailing, start);
            }
            offsets[i] = new TokenOffset(start, end);
        }
        return offsets is null ? e : EncodingOperations.WithOffsets(e, offsets);
    }

    // Moves forward by up to count code points of the source, not past limit.
    private static int Advance(string source, int position, int count, int limit)
    {
        for (var k = 0; k < count && position < limit && position < source.Length; k++)
            position += char.IsHighSurrogate(source[position]) && position + 1 < source.Length && char.IsLowSurrogate(source[position + 1]) ? 2 : 1;
        return Math.Min(position, limit);
    }

    private static bool HasCodePointsBefore(string source, int position, int count)
    {
        for (var k = 0; k < count; k++)
        {
            if (position <= 0) return false;
            position -= position >= 2 && char.IsLowSurrogate(source[position - 1]) && char.IsHighSurrogate(source[position - 2]) ? 2 : 1;
        }
        return true;
    }

    // Moves back by up to count code points of the source, not before limit.
    private static int Retreat(string source, int position, int count, int limit)
    {
        for (var k = 0; k < count && position > limit; k++)
            position -= position >= 2 && char.IsLowSurrogate(source[position - 1]) && char.IsHighSurrogate(source[position - 2]) ? 2 : 1;
        return Math.Max(position, limit);
    }
}
