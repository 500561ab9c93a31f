namespace Embeddings;

/// <summary>One document's place in a reranking.</summary>
/// <param name="Index">The document's position in the caller's list.</param>
/// <param name="Score">Its relevance: the model's activation of the logit (sigmoid for single-label models), or the
/// raw logit when <see cref="RerankOptions.RawScores"/> was asked for.</param>
public readonly record struct RerankResult(int Index, float Score);
