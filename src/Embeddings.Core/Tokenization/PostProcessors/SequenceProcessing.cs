namespace Embeddings.Tokenization.PostProcessors;

/// <summary>The <c>Sequence</c> post-processor: applies its processors in order.</summary>
internal sealed class SequenceProcessing(IReadOnlyList<PostProcessor> processors) : PostProcessor
{
    public override int AddedTokens(bool isPair) => processors.Sum(p => p.AddedTokens(isPair));

    public override List<Encoding> ProcessEncodings(List<Encoding> encodings, bool addSpecialTokens)
    {
        foreach (var p in processors) encodings = p.ProcessEncodings(encodings, addSpecialTokens);
        return encodings;
    }
}
