using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// The <c>Strip</c> decoder: removes up to <c>start</c> leading and <c>stop</c> trailing occurrences of a
/// character from each token.
/// </summary>
internal sealed class StripDecoder(string content, int start, int stop) : Decoder
{
    public static StripDecoder FromJson(JsonNode json) =>
        new(json.Required("content").AsCharacter(), Math.Max(0, json.Int("start", 0)), Math.Max(0, json.Int("stop", 0)));

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var target = char.ConvertToUtf32(content, 0);
        foreach (var token in tokens)
        {
            var chars = new List<int>();
            for (var i = 0; i < token.Length;)
            {
                chars.Add(Utf16.CodePointAt(token, i, out var len));
                i += len;
            }
            var startCut = 0;
            for (var i = 0; i < start && i < chars.Count && chars[i] == target; i++) startCut = i + 1;
            var stopCut = chars.Count;
            for (var i = 0; i < stop; i++)
            {
                var index = chars.Count - i - 1;
                if (index < 0 || chars[index] != target) break;
                stopCut = index;
            }
            var builder = new System.Text.StringBuilder();
            for (var i = startCut; i < stopCut; i++) builder.Append(char.ConvertFromUtf32(chars[i]));
            result.Add(builder.ToString());
        }
        return result;
    }
}
