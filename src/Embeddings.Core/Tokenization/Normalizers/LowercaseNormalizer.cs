using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>Lowercase</c> normalizer: Unicode full lowercase mapping (İ becomes i + U+0307).</summary>
internal sealed class LowercaseNormalizer : Normalizer
{
    public override void Normalize(NormalizedText text) => text.Lowercase();
}
