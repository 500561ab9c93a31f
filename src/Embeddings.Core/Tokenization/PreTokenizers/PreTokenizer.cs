using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>
/// The second stage of the pipeline: cuts normalized text into pieces ("words") that the model tokenizes
/// independently. One subclass per tokenizer.json <c>pre_tokenizer</c> type. Pieces that are already
/// tokens (added tokens) are passed on untouched. Instances are immutable and safe to share between threads.
/// </summary>
internal abstract class PreTokenizer
{
    /// <summary>Splits (and possibly rewrites) the untokenized pieces.</summary>
    public abstract void PreTokenize(PreTokenizedString text);
}
