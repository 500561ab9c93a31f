using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>Prepend</c> normalizer: puts a fixed string before non-empty text.</summary>
internal sealed class PrependNormalizer(string prepend) : Normalizer
{
    public static PrependNormalizer FromJson(JsonNode json) => new(json.RequiredString("prepend"));

    public override void Normalize(NormalizedText text) => text.Prepend(prepend);
}
