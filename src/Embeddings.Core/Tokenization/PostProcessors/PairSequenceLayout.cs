namespace Embeddings.Tokenization.PostProcessors;

/// <summary>
/// How a tokenizer lays out a pair with special tokens: <c>prefix + A + middle + B + suffix</c>, each sequence with one
/// type id (e.g. <c>[CLS] A [SEP] B [SEP]</c>, or <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>).
/// </summary>
internal sealed record PairSequenceLayout(
    int[] PrefixIds, int[] PrefixTypeIds, int FirstTypeId,
    int[] MiddleIds, int[] MiddleTypeIds, int SecondTypeId,
    int[] SuffixIds, int[] SuffixTypeIds)
{
    // Marker ids no vocabulary uses; each marker sequence is two long so a repeated or split sequence shows.
    private const int FirstMarker = -1;
    private const int SecondMarker = -2;
    private const int MarkerLength = 2;

    /// <summary>Number of special tokens.</summary>
    public int Added => PrefixIds.Length + MiddleIds.Length + SuffixIds.Length;

    /// <summary>
    /// Runs the tokenizer's post-processor on two marker sequences and reads the layout from where they land; null
    /// when the output is not of this shape (a sequence repeated, split, given mixed type ids, or B before A).
    /// </summary>
    public static PairSequenceLayout? Probe(Tokenizer tokenizer)
    {
        var result = tokenizer.PostProcess(Marker(FirstMarker), Marker(SecondMarker), addSpecialTokens: true);
        var ids = result.Ids;
        var types = result.TypeIds;
        var a = Array.IndexOf(ids, FirstMarker);
        var b = Array.IndexOf(ids, SecondMarker);
        if (a < 0 || b < a + MarkerLength) return null;
        for (var i = 0; i < ids.Length; i++)
        {
            var inA = i >= a && i < a + MarkerLength;
            var inB = i >= b && i < b + MarkerLength;
            if (ids[i] == FirstMarker != inA || ids[i] == SecondMarker != inB) return null;
            if (ids[i] < 0 && types[i] != types[ids[i] == FirstMarker ? a : b]) return null;
        }
        return new PairSequenceLayout(
            ids[..a], types[..a], types[a],
            ids[(a + MarkerLength)..b], types[(a + MarkerLength)..b], types[b],
            ids[(b + MarkerLength)..], types[(b + MarkerLength)..]);
    }

    private static Encoding Marker(int id) =>
        EncodingOperations.FromTokens([id, id], ["a", "a"], [new TokenOffset(0, 1), new TokenOffset(1, 2)], [0, 1], 0, false, "aa");
}
