using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.PostProcessors;

/// <summary>
/// The <c>RobertaProcessing</c> post-processor: <c>&lt;s&gt; A &lt;/s&gt;</c> and <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>,
/// all type ids 0, with byte-level offset trimming when <c>trim_offsets</c> is set.
/// </summary>
internal sealed class RobertaProcessing((string Token, int Id) sep, (string Token, int Id) cls, bool trimOffsets, bool addPrefixSpace)
    : PostProcessor
{
    public static RobertaProcessing FromJson(JsonNode json) => new(
        BertProcessing.ReadTokenPair(json.Required("sep")), BertProcessing.ReadTokenPair(json.Required("cls")),
        json.Bool("trim_offsets", true), json.Bool("add_prefix_space", true));

    public override int AddedTokens(bool isPair) => isPair ? 4 : 2;

    public override SingleSequenceLayout SingleLayout(bool addSpecialTokens) =>
        addSpecialTokens ? new([cls.Id], [0], 0, [sep.Id], [0]) : SingleSequenceLayout.Plain;

    public override List<Encoding> ProcessEncodings(List<Encoding> encodings, bool addSpecialTokens)
    {
        var result = new List<Encoding>(encodings.Count);
        foreach (var original in encodings)
        {
            var e = original;
            if (trimOffsets)
            {
                e = ByteLevelProcessing.TrimOffsets(e, addPrefixSpace);
                if (e.OverflowingArray.Length > 0)
                    e = EncodingOperations.WithOverflowing(e, Array.ConvertAll(e.OverflowingArray, o => ByteLevelProcessing.TrimOffsets(o, addPrefixSpace)));
            }
            result.Add(EncodingOperations.WithTypeIds(e, 0));
        }
        if (!addSpecialTokens) return result;
        for (var i = 0; i < result.Count; i++) result[i] = Wrap(result[i], i);
        return result;
    }

    private Encoding Wrap(Encoding e, int index)
    {
        Encoding One(Encoding x) => index == 0
            ? EncodingOperations.Surround(x, [(cls.Id, cls.Token)], [(sep.Id, sep.Token)], 0, 0, 0, 0)
            : EncodingOperations.Surround(x, [(sep.Id, sep.Token)], [(sep.Id, sep.Token)], 0, 0, 0, 1);
        var main = One(e);
        return e.OverflowingArray.Length == 0
            ? main
            : EncodingOperations.WithOverflowing(main, Array.ConvertAll(e.OverflowingArray, One));
    }
}
