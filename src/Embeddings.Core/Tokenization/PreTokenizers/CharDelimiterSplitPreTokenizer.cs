using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>CharDelimiterSplit</c> pre-tokenizer: splits on one character, which is dropped.</summary>
internal sealed class CharDelimiterSplitPreTokenizer : PreTokenizer
{
    private readonly Segmenter _segmenter;

    public CharDelimiterSplitPreTokenizer(int delimiter) =>
        _segmenter = (text, segments) => Splitter.ByCharacter(text, c => c == delimiter, segments);

    public static CharDelimiterSplitPreTokenizer FromJson(JsonNode json)
    {
        var d = json.Required("delimiter").AsCharacter();
        return new CharDelimiterSplitPreTokenizer(char.ConvertToUtf32(d, 0));
    }

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, SplitBehavior.Removed, _segmenter);
}
