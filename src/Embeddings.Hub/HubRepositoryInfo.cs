namespace Embeddings.Hub;

/// <summary>What the hub's model API says about a repository at a revision.</summary>
/// <param name="RepoId">The repository id that was asked for.</param>
/// <param name="Revision">The revision that was asked for (branch, tag or commit).</param>
/// <param name="CommitHash">The commit the revision points to now (the API's <c>sha</c>).</param>
/// <param name="Files">Every file in the repository at that commit, as '/'-separated relative paths (the API's <c>siblings[].rfilename</c>), each checked to stay inside a snapshot folder.</param>
public sealed record HubRepositoryInfo(string RepoId, string Revision, string CommitHash, IReadOnlyList<string> Files);
