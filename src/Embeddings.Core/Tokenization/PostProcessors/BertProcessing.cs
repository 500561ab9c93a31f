using Embeddings.Tokenization.Serialization;

namespace Embeddings.Tokenization.PostProcessors;

/// <summary>The <c>BertProcessing</c> post-processor: <c>[CLS] A [SEP]</c> and <c>[CLS] A [SEP] B [SEP]</c> (B with type id 1).</summary>
internal sealed class BertProcessing((string Token, int Id) sep, (string Token, int Id) cls) : PostProcessor
{
    public static BertProcessing FromJson(JsonNode json) =>
        new(ReadTokenPair(json.Required("sep")), ReadTokenPair(json.Required("cls")));

    /// <summary>Reads <c>["[SEP]", 102]</c>.</summary>
    public static (string, int) ReadTokenPair(JsonNode json)
    {
        if (json.ArrayLength != 2) throw json.Error("expected [token, id]");
        var items = json.Items().ToArray();
        return (items[0].AsString(), items[1].AsInt());
    }

    public override int AddedTokens(bool isPair) => isPair ? 3 : 2;

    public override SingleSequenceLayout SingleLayout(bool addSpecialTokens) =>
        addSpecialTokens ? new([cls.Id], [0], 0, [sep.Id], [0]) : SingleSequenceLayout.Plain;

    public override List<Encoding> ProcessEncodings(List<Encoding> encodings, bool addSpecialTokens)
    {
        if (!addSpecialTokens) return encodings;
        var result = new List<Encoding>(encodings.Count);
        for (var i = 0; i < encodings.Count; i++) result.Add(Wrap(encodings[i], i));
        return result;
    }

    private Encoding Wrap(Encoding e, int index)
    {
        Encoding One(Encoding x) => index == 0
            ? EncodingOperations.Surround(x, [(cls.Id, cls.Token)], [(sep.Id, sep.Token)], 0, null, 0, 0)
            : EncodingOperations.Surround(x, [], [(sep.Id, sep.Token)], 1, null, 1, 1);
        var main = One(e);
        return e.OverflowingArray.Length == 0
            ? main
            : EncodingOperations.WithOverflowing(main, Array.ConvertAll(e.OverflowingArray, One));
    }
}
