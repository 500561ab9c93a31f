using Embeddings.Tokenization.PreTokenizers;
using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// The <c>Metaspace</c> decoder: replacement characters become spaces, except in the first token when a
/// prefix was prepended (there they are dropped).
/// </summary>
internal sealed class MetaspaceDecoder(string replacement, PrependScheme prependScheme) : Decoder
{
    public static MetaspaceDecoder FromJson(JsonNode json)
    {
        var (replacement, scheme) = MetaspacePreTokenizer.ReadShared(json);
        return new MetaspaceDecoder(replacement, scheme);
    }

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var drop = i == 0 && prependScheme != PrependScheme.Never;
            result.Add(tokens[i].Replace(replacement, drop ? "" : " ", StringComparison.Ordinal));
        }
        return result;
    }
}
