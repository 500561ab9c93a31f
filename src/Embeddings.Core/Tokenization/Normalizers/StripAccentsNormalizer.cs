using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>StripAccents</c> normalizer: removes combining marks (Mn, Mc, Me); usually follows NFD.</summary>
internal sealed class StripAccentsNormalizer : Normalizer
{
    public override void Normalize(NormalizedText text) => text.Filter(static c => !CharClass.IsCombiningMark(c));
}
