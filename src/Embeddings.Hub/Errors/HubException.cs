namespace Embeddings.Hub;

/// <summary>
/// The base of every error raised while resolving or downloading files from a Hugging Face hub. Messages
/// name the repository, revision and file involved and say what to do; they never contain the token.
/// </summary>
public class HubException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubException(string message, string? repoId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        RepoId = repoId;
    }

    /// <summary>The repository the failing operation was about, when there is one.</summary>
    public string? RepoId { get; }
}
