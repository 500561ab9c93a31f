using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>Sequence</c> pre-tokenizer: applies its pre-tokenizers in order.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> preTokenizers) : PreTokenizer
{
    public override void PreTokenize(PreTokenizedString text)
    {
        foreach (var p in preTokenizers) p.PreTokenize(text);
    }
}
