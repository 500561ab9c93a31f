using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>
/// The first stage of the pipeline: rewrites text (case, accents, Unicode forms, ...) while keeping each
/// character aligned with the original text. One subclass per tokenizer.json <c>normalizer</c> type.
/// Instances are immutable and safe to share between threads.
/// </summary>
internal abstract class Normalizer
{
    /// <summary>Normalizes one piece of text in place.</summary>
    public abstract void Normalize(NormalizedText text);
}
