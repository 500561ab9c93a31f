namespace Embeddings.Hub;

/// <summary>
/// The hub refused access (HTTP 401 or 403): the repository is private or gated, the token is missing,
/// invalid or lacks permission, or (the hub answers 401 for these too when no token is sent) the
/// repository does not exist.
/// </summary>
public sealed class HubAuthenticationException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubAuthenticationException(string message, string repoId, int statusCode, bool isGated)
        : base(message, repoId)
    {
        StatusCode = statusCode;
        IsGated = isGated;
    }

    /// <summary>The HTTP status the hub answered with (401 or 403).</summary>
    public int StatusCode { get; }

    /// <summary>True when the hub said the repository is gated: its terms must be accepted on the model page.</summary>
    public bool IsGated { get; }
}
