using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>Sequence</c> normalizer: applies its normalizers in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> normalizers) : Normalizer
{
    public override void Normalize(NormalizedText text)
    {
        foreach (var n in normalizers) n.Normalize(text);
    }
}
