namespace Embeddings.Hub;

/// <summary>
/// The Hugging Face cache folder, in the layout huggingface_hub uses, read without any network access:
/// <code>
/// {cache}/models--{namespace}--{name}/
///     blobs/{etag}                      file contents, named by git SHA-1 or LFS SHA-256
///     snapshots/{commit}/{path}         relative links to ../../blobs/{etag} (or copies)
///     refs/{revision}                   the commit a branch or tag pointed to when last resolved
///     .no_exist/{commit}/{path}         empty markers: the file is known not to exist at that commit
/// {cache}/.locks/models--{namespace}--{name}/{etag}.lock
/// </code>
/// </summary>
/// <remarks>Instances hold only the folder path and are safe to use from many threads.</remarks>
public sealed class HubCache
{
    /// <summary>Creates a view of the cache at <paramref name="cacheDirectory"/> (it need not exist yet).</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public HubCache(string cacheDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        CacheDirectory = Path.GetFullPath(cacheDirectory);
    }

    /// <summary>The absolute path of the cache folder.</summary>
    public string CacheDirectory { get; }

    /// <summary>The folder of one repository: <c>{cache}/models--{namespace}--{name}</c>.</summary>
    /// <exception cref="ArgumentException">The repository id is not valid.</exception>
    public string GetRepositoryFolder(string repoId)
    {
        HubNames.ValidateRepoId(repoId);
        return Path.Combine(CacheDirectory, HubNames.RepoFolderName(repoId));
    }

    /// <summary>
    /// The commit a revision stands for, as far as the cache knows: a full commit hash is returned as is,
    /// a branch or tag is looked up in <c>refs/</c>. Null when the cache has never resolved it.
    /// </summary>
    /// <exception cref="ArgumentException">The repository id or revision is not valid.</exception>
    public string? ResolveCommit(string repoId, string revision = HubNames.DefaultRevision)
    {
        HubNames.ValidateRepoId(repoId);
        HubNames.ValidateRevision(revision);
        if (HubNames.IsCommitHash(revision)) return revision;
        var refPath = RefPath(repoId, revision);
        string text;
        try
        {
            text = File.ReadAllText(refPath).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
        // A ref file names a folder we will read from: ignore anything that is not a commit hash.
        return HubNames.IsValidServerCommit(text) ? text : null;
    }

    /// <summary>The snapshot folder of a revision when the cache has it, else null.</summary>
    /// <exception cref="ArgumentException">The repository id or revision is not valid.</exception>
    public string? TryGetSnapshotFolder(string repoId, string revision = HubNames.DefaultRevision)
    {
        var commit = ResolveCommit(repoId, revision);
        if (commit is null) return null;
        var folder = SnapshotFolder(repoId, commit);
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>
    /// The cached copy of a file at a revision (the path inside the snapshot folder), or null when it is
    /// not cached. Like huggingface_hub's <c>try_to_load_from_cache</c>, never touches the network.
    /// </summary>
    /// <exception cref="ArgumentException">The repository id, revision or file name is not valid.</exception>
    public string? TryGetCachedFile(string repoId, string fileName, string revision = HubNames.DefaultRevision)
    {
        HubNames.ValidateFileName(fileName, nameof(fileName));
        var commit = ResolveCommit(repoId, revision);
        if (commit is null) return null;
        var pointer = PointerPath(repoId, commit, fileName);
        return FileIsReadable(pointer) ? pointer : null;
    }

    /// <summary>
    /// True when the cache recorded that the file does not exist at the commit the revision resolves to
    /// (a <c>.no_exist</c> marker, written when the hub answered "entry not found").
    /// </summary>
    /// <exception cref="ArgumentException">The repository id, revision or file name is not valid.</exception>
    public bool IsKnownMissing(string repoId, string fileName, string revision = HubNames.DefaultRevision)
    {
        HubNames.ValidateFileName(fileName, nameof(fileName));
        var commit = ResolveCommit(repoId, revision);
        return commit is not null && File.Exists(MissingMarkerPath(repoId, commit, fileName));
    }

    internal string SnapshotFolder(string repoId, string commit) =>
        Path.Combine(GetRepositoryFolder(repoId), "snapshots", commit);

    internal string PointerPath(string repoId, string commit, string fileName) =>
        Path.Combine(SnapshotFolder(repoId, commit), ToLocalPath(fileName));

    internal string BlobPath(string repoId, string etag) =>
        Path.Combine(GetRepositoryFolder(repoId), "blobs", etag);

    internal string LockPath(string repoId, string etag) =>
        Path.Combine(CacheDirectory, ".locks", HubNames.RepoFolderName(repoId), etag + ".lock");

    private string RefPath(string repoId, string revision) =>
        Path.Combine(GetRepositoryFolder(repoId), "refs", ToLocalPath(revision));

    private string MissingMarkerPath(string repoId, string commit, string fileName) =>
        Path.Combine(GetRepositoryFolder(repoId), ".no_exist", commit, ToLocalPath(fileName));

    /// <summary>
    /// Records which commit a branch or tag points to. Written to a temporary file and renamed, so a
    /// concurrent reader never sees half a hash; left alone when already right (a read-only cache stays usable).
    /// </summary>
    internal void WriteRef(string repoId, string revision, string commit)
    {
        if (revision == commit) return;
        var refPath = RefPath(repoId, revision);
        if (ResolveCommit(repoId, revision) == commit) return;
        Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
        var temporary = $"{refPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, commit);
            File.Move(temporary, refPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Records that a file does not exist at a commit. Best effort, as in huggingface_hub: a cache we cannot
    /// write to only loses the shortcut, never the answer.
    /// </summary>
    internal void MarkMissing(string repoId, string commit, string fileName)
    {
        var marker = MissingMarkerPath(repoId, commit, fileName);
        try
        {
            if (File.Exists(marker)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
            using (File.Open(marker, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to do: the marker is only an optimisation.
        }
    }

    /// <summary>
    /// Marks the cache folder with a <c>CACHEDIR.TAG</c> (the Cache Directory Tagging convention, as
    /// huggingface_hub does) so backup tools skip it. Best effort.
    /// </summary>
    internal void TagAsCache()
    {
        var tag = Path.Combine(CacheDirectory, "CACHEDIR.TAG");
        try
        {
            if (File.Exists(tag)) return;
            File.WriteAllText(tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n" +
                "# This file is a cache directory tag created by Embeddings for .NET (Hugging Face cache).\n" +
                "# For information about cache directory tags, see https://bford.info/cachedir/\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a courtesy to backup tools.
        }
    }

    /// <summary>True when the path is a file, or a link whose final target is a file (a dangling link is not).</summary>
    internal static bool FileIsReadable(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        if (info.LinkTarget is null) return true;
        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } target && target is FileInfo;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Names were validated as '/'-separated relative paths; this only adapts the separator.
    private static string ToLocalPath(string relativePath) =>
        Path.DirectorySeparatorChar == '/' ? relativePath : relativePath.Replace('/', Path.DirectorySeparatorChar);
}
