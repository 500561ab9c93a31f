using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.Decoders;

/// <summary>The <c>BPEDecoder</c>: the end-of-word suffix becomes a space (nothing in the last token).</summary>
internal sealed class BpeDecoder(string suffix) : Decoder
{
    public static BpeDecoder FromJson(JsonNode json) => new(json.OptionalString("suffix") ?? "</w>");

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
            result.Add(suffix.Length == 0 ? tokens[i] : tokens[i].Replace(suffix, i == tokens.Count - 1 ? "" : " ", StringComparison.Ordinal));
        return result;
    }
}
