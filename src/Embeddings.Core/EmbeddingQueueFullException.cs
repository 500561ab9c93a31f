namespace Embeddings;

/// <summary>
/// The micro-batching queue holds as much work as it is allowed to; the request was not accepted. Retry
/// later (a server answers 429 Too Many Requests), or raise <see cref="EmbeddingQueueOptions.MaxQueuedTokens"/>.
/// </summary>
public sealed class EmbeddingQueueFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public EmbeddingQueueFullException() : this("The embedding queue is full; retry later.") { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public EmbeddingQueueFullException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EmbeddingQueueFullException(string message, Exception? innerException) : base(message, innerException) { }
}
