using Embeddings.Tokenization.Serialization;
using Embeddings.Tokenization.Text;

namespace Embeddings.Tokenization.PreTokenizers;

/// <summary>The <c>Split</c> pre-tokenizer: splits on a string or regex pattern (or its complement) with a behavior.</summary>
internal sealed class SplitPreTokenizer : PreTokenizer
{
    [ThreadStatic] private static List<(int Start, int End)>? t_matches;

    private readonly SplitBehavior _behavior;
    private readonly Segmenter _segmenter;

    public SplitPreTokenizer(TextPattern pattern, SplitBehavior behavior, bool invert)
    {
        _behavior = behavior;
        _segmenter = (text, segments) =>
        {
            pattern.Segment(text, t_matches ??= [], segments);
            if (!invert) return;
            for (var i = 0; i < segments.Count; i++) segments[i] = (segments[i].Start, segments[i].End, !segments[i].IsMatch);
        };
    }

    public static SplitPreTokenizer FromJson(JsonNode json) => new(
        TextPattern.FromJson(json.Required("pattern")),
        SplitBehaviorJson.Parse(json.Required("behavior")),
        json.Bool("invert", false));

    public override void PreTokenize(PreTokenizedString text) => Splitter.Split(text, _behavior, _segmenter);
}
