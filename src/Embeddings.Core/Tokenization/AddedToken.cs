namespace Embeddings.Tokenization;

/// <summary>
/// A token added on top of the model's vocabulary (tokenizer.json <c>added_tokens</c>). Added tokens are found
/// in the text before the model runs and are never split.
/// </summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The token text.</param>
/// <param name="Special">Special tokens are skipped when decoding with <c>skipSpecialTokens</c>.</param>
/// <param name="SingleWord">Only match when not inside a word.</param>
/// <param name="LeftStrip">Also consume the whitespace before the match.</param>
/// <param name="RightStrip">Also consume the whitespace after the match.</param>
/// <param name="Normalized">Match in the normalized text (true) or in the raw text (false).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord = false, bool LeftStrip = false,
    bool RightStrip = false, bool Normalized = true);
