using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>NFD</c> normalizer: Unicode normalization form D.</summary>
internal sealed class NfdNormalizer() : UnicodeFormNormalizer(NormalizationForm.D);
