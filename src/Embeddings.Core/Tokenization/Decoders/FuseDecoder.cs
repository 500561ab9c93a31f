namespace Embeddings.Tokenization.Decoders;

/// <summary>The <c>Fuse</c> decoder: concatenates all tokens into one.</summary>
internal sealed class FuseDecoder : Decoder
{
    public override List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}
