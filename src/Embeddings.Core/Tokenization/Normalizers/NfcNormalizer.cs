using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>NFC</c> normalizer: Unicode normalization form C.</summary>
internal sealed class NfcNormalizer() : UnicodeFormNormalizer(NormalizationForm.C);
