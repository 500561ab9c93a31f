namespace Embeddings.Hub;

/// <summary>
/// The hub could not be used (offline mode is on, or the network or the hub failed) and the files asked
/// for are not in the local cache. <see cref="Exception.InnerException"/> holds the network error, if any.
/// </summary>
public sealed class HubOfflineException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubOfflineException(string message, string repoId, Exception? innerException = null)
        : base(message, repoId, innerException)
    {
    }
}
