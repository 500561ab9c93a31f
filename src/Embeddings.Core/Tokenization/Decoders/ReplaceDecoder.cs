using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Decoders;

/// <summary>The <c>Replace</c> decoder: replaces pattern matches in each token.</summary>
internal sealed class ReplaceDecoder(TextPattern pattern, string content) : Decoder
{
    public static ReplaceDecoder FromJson(JsonNode json) =>
        new(TextPattern.FromJson(json.Required("pattern")), json.RequiredString("content"));

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var matches = new List<(int Start, int End)>();
        foreach (var token in tokens)
        {
            matches.Clear();
            pattern.FindMatches(token, matches);
            if (matches.Count == 0)
            {
                result.Add(token);
                continue;
            }
            var builder = new System.Text.StringBuilder(token.Length);
            var last = 0;
            foreach (var (start, end) in matches)
            {
                builder.Append(token, last, start - last).Append(content);
                last = end;
            }
            result.Add(builder.Append(token, last, token.Length - last).ToString());
        }
        return result;
    }
}
