using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>WhitespaceSplit</c> pre-tokenizer: splits on whitespace, which is dropped.</summary>
internal sealed class WhitespaceSplitPreTokenizer : PreTokenizer
{
    private static readonly Func<int, bool> Predicate = CharClass.IsWhitespace;

    private static readonly Segmenter OnWhitespace = static (text, segments) =>
        Splitter.ByCharacter(text, Predicate, segments);

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, SplitBehavior.Removed, OnWhitespace);
}
