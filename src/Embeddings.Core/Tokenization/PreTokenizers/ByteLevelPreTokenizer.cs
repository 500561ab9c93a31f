using Embeddings.Tokenization.Normalizers;
using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>
/// The <c>ByteLevel</c> pre-tokenizer (GPT-2 style): optionally prepends a space, splits with GPT-2's
/// expression when <c>use_regex</c> is set (the default), then maps every piece to the byte-level alphabet.
/// Its <c>trim_offsets</c> setting only matters to the ByteLevel post-processor, which has its own copy.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    [ThreadStatic] private static List<(int Start, int End, bool IsMatch)>? t_segments;
    [ThreadStatic] private static List<(int Start, int End)>? t_matches;

    public static ByteLevelPreTokenizer FromJson(JsonNode json) => new(json.Bool("add_prefix_space", true), json.Bool("use_regex", true));

    public override void PreTokenize(PreTokenizedString text)
    {
        var segments = t_segments ??= [];
        var matches = t_matches ??= [];
        text.BeginSplit();
        for (var i = 0; i < text.Count; i++)
        {
            if (text[i].IsTokenized)
            {
                text.Keep(i);
                continue;
            }
            var normalized = text.Normalized(i);
            if (addPrefixSpace && !normalized.Text.StartsWith(' ')) normalized.Prepend(" ");
            if (!useRegex)
            {
                text.Slice(i, 0, normalized.Length);
                continue;
            }
            KnownSplitPattern.Gpt2Pattern.Segment(normalized.Text, matches, segments);
            foreach (var (start, end, _) in segments) text.Slice(i, start, end);
        }
        text.EndSplit();

        for (var i = 0; i < text.Count; i++)
            if (!text[i].IsTokenized) ByteLevelNormalizer.ToByteLevel(text.Normalized(i));
    }
}
