using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// The <c>WordPiece</c> decoder: joins tokens with spaces except continuation pieces (prefix removed), then
/// optionally cleans up spaces before punctuation and in common English contractions, token by token.
/// </summary>
internal sealed class WordPieceDecoder(string prefix, bool cleanup) : Decoder
{
    public static WordPieceDecoder FromJson(JsonNode json) =>
        new(json.OptionalString("prefix") ?? "##", json.Bool("cleanup", true));

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (i != 0) token = token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : " " + token;
            result.Add(cleanup ? Cleanup(token) : token);
        }
        return result;
    }

    /// <summary>The clean-up also used by the CTC decoder.</summary>
    public static string Cleanup(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" do not", " don't", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);
}
