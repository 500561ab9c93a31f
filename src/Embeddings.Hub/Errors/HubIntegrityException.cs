namespace Embeddings.Hub;

/// <summary>
/// A downloaded file did not match what the hub announced (its size, or the SHA-256 of an LFS file).
/// Nothing was stored in the cache; retrying downloads the file again from the start.
/// </summary>
public sealed class HubIntegrityException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubIntegrityException(string message, string repoId, string fileName)
        : base(message, repoId)
    {
        FileName = fileName;
    }

    /// <summary>The file whose content was rejected, as a path inside the repository.</summary>
    public string FileName { get; }
}
