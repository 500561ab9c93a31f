namespace Embeddings.Hub;

/// <summary>The repository exists but the branch, tag or commit asked for does not.</summary>
public sealed class HubRevisionNotFoundException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubRevisionNotFoundException(string message, string repoId, string revision)
        : base(message, repoId)
    {
        Revision = revision;
    }

    /// <summary>The revision that was not found.</summary>
    public string Revision { get; }
}
