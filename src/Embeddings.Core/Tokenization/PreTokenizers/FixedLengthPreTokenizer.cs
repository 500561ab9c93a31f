using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>FixedLength</c> pre-tokenizer: cuts text into chunks of a fixed number of characters.</summary>
internal sealed class FixedLengthPreTokenizer : PreTokenizer
{
    private readonly Segmenter _segmenter;

    public FixedLengthPreTokenizer(int length) => _segmenter = (text, segments) =>
    {
        for (var i = 0; i < text.Length;)
        {
            var start = i;
            for (var k = 0; k < length && i < text.Length; k++) i += char.IsSurrogatePair(text[i], i + 1 < text.Length ? text[i + 1] : '\0') ? 2 : 1;
            segments.Add((start, i, false));
        }
    };

    public static FixedLengthPreTokenizer FromJson(JsonNode json)
    {
        var length = json.Int("length", 5);
        if (length <= 0) throw json.Error($"length must be positive, found {length}");
        return new FixedLengthPreTokenizer(length);
    }

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, SplitBehavior.Isolated, _segmenter);
}
