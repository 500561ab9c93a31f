namespace Embeddings;

/// <summary>
/// The model cannot do what was asked (for example per-token vectors or late chunking from a static embedding
/// model, which has no per-token hidden states). A <see cref="NotSupportedException"/>, so existing handlers catch it.
/// </summary>
public sealed class NotSupportedByModelException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    public NotSupportedByModelException() : this("The model does not support this operation.") { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public NotSupportedByModelException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NotSupportedByModelException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for one operation on one model.</summary>
    /// <param name="operation">What was asked, e.g. <c>EmbedTokens</c>.</param>
    /// <param name="modelId">The model's name.</param>
    /// <param name="reason">Why the model cannot do it.</param>
    public NotSupportedByModelException(string operation, string modelId, string reason)
        : base($"{operation} is not supported by the model {modelId}: {reason}")
    {
        Operation = operation;
        ModelId = modelId;
    }

    /// <summary>The operation that was asked for, when known.</summary>
    public string? Operation { get; }

    /// <summary>The model's name, when known.</summary>
    public string? ModelId { get; }
}
