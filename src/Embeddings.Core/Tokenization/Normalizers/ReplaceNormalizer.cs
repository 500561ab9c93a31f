using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.Normalizers;

/// <summary>The <c>Replace</c> normalizer: replaces every match of a string or regex pattern by fixed content.</summary>
internal sealed class ReplaceNormalizer(TextPattern pattern, string content) : Normalizer
{
    [ThreadStatic] private static List<(int Start, int End)>? t_matches;

    public static ReplaceNormalizer FromJson(JsonNode json) =>
        new(TextPattern.FromJson(json.Required("pattern")), json.RequiredString("content"));

    public override void Normalize(NormalizedText text)
    {
        var matches = t_matches ??= [];
        matches.Clear();
        pattern.FindMatches(text.Text, matches);
        text.Replace(matches, content);
    }
}
