using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>Punctuation</c> pre-tokenizer: splits on each punctuation character with a behavior.</summary>
internal sealed class PunctuationPreTokenizer(SplitBehavior behavior) : PreTokenizer
{
    private static readonly Func<int, bool> Predicate = BertPreTokenizer.IsPunctuation;

    private static readonly Segmenter OnPunctuation = static (text, segments) =>
        Splitter.ByCharacter(text, Predicate, segments);

    public static PunctuationPreTokenizer FromJson(JsonNode json) =>
        new(json.Member("behavior") is { } b ? SplitBehaviorJson.Parse(b) : SplitBehavior.Isolated);

    public override void PreTokenize(Text.PreTokenizedString text) => Splitter.Split(text, behavior, OnPunctuation);
}
