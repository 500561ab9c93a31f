namespace Embeddings.Remote;

/// <summary>
/// The server refused or failed a request, or could not be reached after every retry. The message says which, with
/// the server's own reason when it gave one.
/// </summary>
public sealed class RemoteEmbedderException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public RemoteEmbedderException() : this("The embedding server failed the request.") { }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RemoteEmbedderException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RemoteEmbedderException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates an exception for a server's answer.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="requestUri">The request's address.</param>
    /// <param name="statusCode">The HTTP status, or null when no answer came.</param>
    /// <param name="errorType">The server's error type (TEI's <c>error_type</c>), when it gave one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RemoteEmbedderException(string message, Uri requestUri, int? statusCode, string? errorType, Exception? innerException = null)
        : base(message, innerException)
    {
        RequestUri = requestUri;
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    /// <summary>The request's address.</summary>
    public Uri? RequestUri { get; }

    /// <summary>The HTTP status the server answered with; null when the server could not be reached.</summary>
    public int? StatusCode { get; }

    /// <summary>TEI's <c>error_type</c> (Validation, Empty, Overloaded, Backend, Tokenizer, Unhealthy, …), when given.</summary>
    public string? ErrorType { get; }
}
