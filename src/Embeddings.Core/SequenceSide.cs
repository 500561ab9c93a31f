namespace Embeddings;

/// <summary>
/// One end of a token sequence: where padding goes, or which end loses tokens when a text is truncated.
/// The same two values serve tokenizer.json (<c>"Right"</c>/<c>"Left"</c>), tokenizer_config.json
/// (<c>"right"</c>/<c>"left"</c>) and the server's wire format.
/// </summary>
public enum SequenceSide
{
    /// <summary>The end of the sequence: pad after the tokens, or drop tokens from the end (encoders).</summary>
    Right,

    /// <summary>The start of the sequence: pad before the tokens, or drop tokens from the start (decoders).</summary>
    Left,
}
