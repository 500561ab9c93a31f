namespace Embeddings;

/// <summary>
/// What a call does with a text longer than the model's limit (set per call through
/// <see cref="BatchingOptions.Truncation"/>). How the tokenizer shares the budget within a pair is a separate setting,
/// <see cref="Tokenization.PairTruncationStrategy"/>.
/// </summary>
public enum OverlongInputPolicy
{
    /// <summary>Keep the first tokens that fit (special tokens kept) and report the item as truncated. The default, as in sentence-transformers.</summary>
    Truncate,
    /// <summary>Throw <see cref="InputTooLongException"/> naming the first item that does not fit.</summary>
    Error,
}
