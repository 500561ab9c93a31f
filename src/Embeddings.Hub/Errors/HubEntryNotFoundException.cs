namespace Embeddings.Hub;

/// <summary>The repository and revision exist but the file does not (at that revision).</summary>
public sealed class HubEntryNotFoundException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubEntryNotFoundException(string message, string repoId, string revision, string fileName, string? commitHash = null)
        : base(message, repoId)
    {
        Revision = revision;
        FileName = fileName;
        CommitHash = commitHash;
    }

    /// <summary>The revision that was asked for.</summary>
    public string Revision { get; }

    /// <summary>The file that does not exist, as a path inside the repository.</summary>
    public string FileName { get; }

    /// <summary>The commit the revision resolved to when the hub said so (its <c>X-Repo-Commit</c> header), else null.</summary>
    public string? CommitHash { get; }
}
