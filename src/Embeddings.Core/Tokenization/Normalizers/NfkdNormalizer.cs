using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>NFKD</c> normalizer: Unicode normalization form KD.</summary>
internal sealed class NfkdNormalizer() : UnicodeFormNormalizer(NormalizationForm.KD);
