namespace Embeddings;

/// <summary>What happens to a text longer than the model's limit.</summary>
public enum TruncationPolicy
{
    /// <summary>Keep the first tokens that fit (special tokens kept) and report the item as truncated. The default, as in sentence-transformers.</summary>
    Truncate,
    /// <summary>Throw <see cref="InputTooLongException"/> naming the first item that does not fit.</summary>
    Error,
}
