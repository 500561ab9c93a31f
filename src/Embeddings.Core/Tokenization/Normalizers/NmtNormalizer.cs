using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>
/// The <c>Nmt</c> normalizer (SentencePiece's nmt_nfkc clean-up without NFKC): drops some control characters
/// and turns other separators into spaces.
/// </summary>
internal sealed class NmtNormalizer : Normalizer
{
    public override void Normalize(NormalizedText text)
    {
        text.Filter(static c => c is not ((>= 0x01 and <= 0x08) or 0x0B or (>= 0x0E and <= 0x1F) or 0x7F or 0x8F or 0x9F));
        text.Map(static c => c is 0x09 or 0x0A or 0x0C or 0x0D or 0x1680 or (>= 0x200B and <= 0x200F) or 0x2028
            or 0x2029 or 0x2581 or 0xFEFF or 0xFFFD ? ' ' : c);
    }
}
