using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>Strip</c> normalizer: removes leading and/or trailing whitespace.</summary>
internal sealed class StripNormalizer(bool left, bool right) : Normalizer
{
    public static StripNormalizer FromJson(JsonNode json) =>
        new(json.Bool("strip_left", true), json.Bool("strip_right", true));

    public override void Normalize(NormalizedText text) => text.Strip(left, right);
}
