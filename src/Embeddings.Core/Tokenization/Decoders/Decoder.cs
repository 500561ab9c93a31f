namespace Embeddings.Tokenization.Decoders;

/// <summary>
/// Turns token strings back into text. One subclass per tokenizer.json <c>decoder</c> type; decoders chain
/// (each maps a list of strings to a list of strings) and the results are concatenated. Instances are immutable.
/// </summary>
internal abstract class Decoder
{
    /// <summary>Transforms the token strings.</summary>
    public abstract List<string> DecodeChain(List<string> tokens);

    /// <summary>Decodes to one string.</summary>
    public string Decode(List<string> tokens) => string.Concat(DecodeChain(tokens));
}
