namespace Embeddings;

/// <summary>An input does not fit the model's limit and <see cref="OverlongInputPolicy.Error"/> was asked for.</summary>
public sealed class InputTooLongException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InputTooLongException() : this("An input is longer than the model accepts.") { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public InputTooLongException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InputTooLongException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for one item.</summary>
    /// <param name="index">The item's index in the caller's list.</param>
    /// <param name="tokenCount">Its length in tokens, special tokens included.</param>
    /// <param name="maxTokens">The model's limit.</param>
    /// <param name="parameterName">The parameter that held the item.</param>
    public InputTooLongException(int index, int tokenCount, int maxTokens, string parameterName = "texts")
        : base($"Item {index} is {tokenCount} tokens long; the model accepts at most {maxTokens}. "
            + "Shorten it, or use OverlongInputPolicy.Truncate to keep the first tokens.", parameterName)
    {
        Index = index;
        TokenCount = tokenCount;
        MaxTokens = maxTokens;
    }

    /// <summary>The item's index in the caller's list.</summary>
    public int Index { get; }

    /// <summary>Its length in tokens, special tokens included.</summary>
    public int TokenCount { get; }

    /// <summary>The model's limit.</summary>
    public int MaxTokens { get; }
}
