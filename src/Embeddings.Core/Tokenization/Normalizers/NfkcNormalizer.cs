using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>NFKC</c> normalizer: Unicode normalization form KC.</summary>
internal sealed class NfkcNormalizer() : UnicodeFormNormalizer(NormalizationForm.KC);
