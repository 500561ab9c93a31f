namespace Embeddings.Hub;

/// <summary>
/// The hub answered in a way this client cannot use: an unexpected HTTP status (for example 429 or 5xx),
/// missing headers (<c>X-Repo-Commit</c>, <c>ETag</c>, size), or a malformed API response.
/// </summary>
public sealed class HubResponseException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubResponseException(string message, string? repoId, int? statusCode = null, Exception? innerException = null)
        : base(message, repoId, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the response, or null when the problem was its content.</summary>
    public int? StatusCode { get; }
}
