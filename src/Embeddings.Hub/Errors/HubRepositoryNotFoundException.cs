namespace Embeddings.Hub;

/// <summary>The repository does not exist on the hub (or is private and the token cannot see it).</summary>
public sealed class HubRepositoryNotFoundException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubRepositoryNotFoundException(string message, string repoId)
        : base(message, repoId)
    {
    }
}
