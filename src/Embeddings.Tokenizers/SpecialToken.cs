namespace Embeddings.Tokenizers;

/// <summary>A special token the model expects around every text (such as <c>[CLS]</c> or <c>&lt;/s&gt;</c>) and its id.</summary>
/// <param name="Token">The token string.</param>
/// <param name="Id">Its id in the model's vocabulary.</param>
public readonly record struct SpecialToken(string Token, int Id);
