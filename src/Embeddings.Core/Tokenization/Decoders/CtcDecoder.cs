using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// The <c>CTC</c> decoder: collapses repeated tokens, removes the pad token, optionally cleans up and turns
/// the word delimiter into spaces; empty results are dropped.
/// </summary>
internal sealed class CtcDecoder(string padToken, string wordDelimiterToken, bool cleanup) : Decoder
{
    public static CtcDecoder FromJson(JsonNode json) => new(
        json.OptionalString("pad_token") ?? "<pad>", json.OptionalString("word_delimiter_token") ?? "|", json.Bool("cleanup", true));

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>();
        string? previous = null;
        foreach (var token in tokens)
        {
            if (previous is not null && token == previous) continue;
            previous = token;
            var replaced = padToken.Length == 0 ? token : token.Replace(padToken, "", StringComparison.Ordinal);
            if (cleanup)
            {
                replaced = WordPieceDecoder.Cleanup(replaced);
                if (wordDelimiterToken.Length > 0) replaced = replaced.Replace(wordDelimiterToken, " ", StringComparison.Ordinal);
            }
            if (replaced.Length > 0) result.Add(replaced);
        }
        return result;
    }
}
