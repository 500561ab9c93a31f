using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>Applies one Unicode normalization form with alignment tracking.</summary>
internal abstract class UnicodeFormNormalizer(NormalizationForm form) : Normalizer
{
    public override void Normalize(NormalizedText text) => UnicodeNormalization.Apply(text, form);
}
