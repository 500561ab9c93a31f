using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>Digits</c> pre-tokenizer: separates numeric characters, one by one or as runs.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : PreTokenizer
{
    private static readonly Func<int, bool> Predicate = CharClass.IsNumber;

    private static readonly Segmenter OnDigits = static (text, segments) =>
        Splitter.ByCharacter(text, Predicate, segments);

    public static DigitsPreTokenizer FromJson(JsonNode json) => new(json.Bool("individual_digits", false));

    public override void PreTokenize(PreTokenizedString text) =>
        Splitter.Split(text, individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous, OnDigits);
}
