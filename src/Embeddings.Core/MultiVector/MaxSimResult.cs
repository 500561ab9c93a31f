namespace Embeddings.MultiVector;

/// <summary>One document's late-interaction score.</summary>
/// <param name="Index">The document's index in the caller's list.</param>
/// <param name="Score">Its MaxSim score against the query (higher is more relevant).</param>
public readonly record struct MaxSimResult(int Index, float Score);
