namespace Embeddings.Tokenization.Decoders;

/// <summary>The <c>Sequence</c> decoder: applies its decoders in order.</summary>
internal sealed class SequenceDecoder(IReadOnlyList<Decoder> decoders) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        foreach (var d in decoders) tokens = d.DecodeChain(tokens);
        return tokens;
    }
}
