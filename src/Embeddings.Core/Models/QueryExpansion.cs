namespace Embeddings.Models;

/// <summary>How a query is widened to its expansion length (sentence-transformers' <c>query_expansion["strategy"]</c>).</summary>
public enum QueryExpansionStrategy
{
    /// <summary>Every query is exactly <see cref="QueryExpansion.Length"/> tokens: shorter ones are filled
    /// with the expansion token, longer ones cut (classic ColBERT, <c>"fixed"</c>).</summary>
    Fixed,
    /// <summary><see cref="QueryExpansion.Length"/> is only the floor: shorter queries are filled, longer ones
    /// keep their tokens up to the query length limit (<c>"min"</c>).</summary>
    Minimum,
}

/// <summary>
/// ColBERT-style query expansion: queries shorter than <see cref="Length"/> tokens are filled up with the
/// expansion token (the tokenizer's <c>[MASK]</c> by default) and those filler positions are scored too.
/// </summary>
/// <param name="Strategy">Fixed width, or a floor.</param>
/// <param name="Length">The width (fixed) or the floor (minimum), special tokens included.</param>
/// <param name="Attend">True when the encoder attends to the filler positions; false (classic ColBERT) feeds
/// them with attention mask 0, so they read the query without changing it.</param>
/// <param name="Token">The filler token; null for the tokenizer's mask token (then its end-of-sequence token).</param>
public sealed record QueryExpansion(QueryExpansionStrategy Strategy, int Length, bool Attend, string? Token);
