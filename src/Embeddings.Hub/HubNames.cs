namespace Embeddings.Hub;

/// <summary>
/// Checks the names that become parts of URLs and cache paths: repository ids, revisions, file names,
/// commit hashes and ETags. Anything that reaches the file system goes through here first, so a name
/// from a caller or from the hub can never point outside the cache.
/// </summary>
internal static class HubNames
{
    /// <summary>The default revision, as in huggingface_hub.</summary>
    public const string DefaultRevision = "main";

    private const int MaxRepoNameLength = 96;
    private const int MaxRevisionLength = 255;
    private const int MaxFileNameLength = 1024;
    private const int MaxEtagLength = 128;

    /// <summary>
    /// Validates a model id: <c>name</c> or <c>namespace/name</c>, ASCII letters, digits, '-', '_' and '.',
    /// each part starting and ending with a letter or digit, no "--" or "..", not ending in ".git"
    /// (the rules huggingface_hub applies before it builds a cache folder name from the id).
    /// </summary>
    public static void ValidateRepoId(string repoId, string paramName = "repoId")
    {
        ArgumentNullException.ThrowIfNull(repoId, paramName);
        var slash = repoId.IndexOf('/');
        if (slash != repoId.LastIndexOf('/'))
            throw new ArgumentException($"Invalid repository id '{repoId}': expected 'name' or 'namespace/name'.", paramName);
        if (slash >= 0) ValidateRepoIdPart(repoId, repoId.AsSpan(0, slash), paramName);
        ValidateRepoIdPart(repoId, repoId.AsSpan(slash + 1), paramName);
        if (repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"Invalid repository id '{repoId}': '--' and '..' are not allowed.", paramName);
        if (repoId.EndsWith(".git", StringComparison.Ordinal))
            throw new ArgumentException($"Invalid repository id '{repoId}': it cannot end with '.git'.", paramName);
    }

    private static void ValidateRepoIdPart(string repoId, ReadOnlySpan<char> part, string paramName)
    {
        if (part.Length is 0 or > MaxRepoNameLength)
            throw new ArgumentException(
                $"Invalid repository id '{repoId}': each part must have 1 to {MaxRepoNameLength} characters.", paramName);
        foreach (var c in part)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                throw new ArgumentException(
                    $"Invalid repository id '{repoId}': only ASCII letters, digits, '-', '_' and '.' are allowed.", paramName);
        }
        if (!char.IsAsciiLetterOrDigit(part[0]) || !char.IsAsciiLetterOrDigit(part[^1]))
            throw new ArgumentException(
                $"Invalid repository id '{repoId}': names must start and end with a letter or a digit.", paramName);
    }

    /// <summary>
    /// Validates a revision (branch, tag or commit hash). Revisions may contain '/' (for example
    /// <c>refs/pr/1</c>) because huggingface_hub stores them as nested files under <c>refs/</c>; each
    /// segment must be a plain name, so the ref file stays inside the repository's cache folder.
    /// </summary>
    public static void ValidateRevision(string revision, string paramName = "revision")
    {
        ArgumentNullException.ThrowIfNull(revision, paramName);
        if (revision.Length is 0 or > MaxRevisionLength)
            throw new ArgumentException($"Invalid revision '{revision}': it must have 1 to {MaxRevisionLength} characters.", paramName);
        foreach (var c in revision)
        {
            // Git forbids these in ref names; the Windows-reserved ones keep the ref file portable.
            if (c < 0x21 || c >= 0x7F || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\' or '<' or '>' or '"' or '|')
                throw new ArgumentException($"Invalid revision '{revision}': it contains a character that is not allowed.", paramName);
        }
        foreach (var segment in revision.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '.' || segment.EndsWith(".lock", StringComparison.Ordinal))
                throw new ArgumentException(
                    $"Invalid revision '{revision}': each '/'-separated part must be non-empty, must not start with '.' and must not end with '.lock'.",
                    paramName);
        }
        if (revision.Contains("@{", StringComparison.Ordinal) || revision.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"Invalid revision '{revision}': '@{{' and '..' are not allowed.", paramName);
    }

    /// <summary>
    /// Validates a file name inside a repository: a relative POSIX path whose segments are plain names.
    /// Rejects '..' and '.' segments, empty segments, absolute paths, drive letters and any ':',
    /// backslashes and control characters, under both POSIX and Windows rules, so the name cannot
    /// leave the snapshot folder on any platform.
    /// </summary>
    public static void ValidateFileName(string fileName, string paramName = "filename")
    {
        ArgumentNullException.ThrowIfNull(fileName, paramName);
        if (!TryGetFileNameProblem(fileName, out var problem)) return;
        throw new ArgumentException($"Invalid file name '{fileName}': {problem}", paramName);
    }

    /// <summary>Returns true and a description when <paramref name="fileName"/> is not a safe repository path.</summary>
    public static bool TryGetFileNameProblem(string fileName, out string problem)
    {
        problem = "";
        if (fileName.Length is 0 or > MaxFileNameLength)
        {
            problem = $"it must have 1 to {MaxFileNameLength} characters.";
            return true;
        }
        foreach (var c in fileName)
        {
            if (char.IsControl(c) || c is '\\' or ':')
            {
                problem = "control characters, '\\' and ':' are not allowed (it must be a relative path with '/' separators).";
                return true;
            }
        }
        foreach (var segment in fileName.Split('/'))
        {
            if (segment.Length == 0)
            {
                problem = "it must be a relative path without empty segments (no leading, trailing or doubled '/').";
                return true;
            }
            if (segment is "." or "..")
            {
                problem = "'.' and '..' segments are not allowed.";
                return true;
            }
        }
        return false;
    }

    /// <summary>True when <paramref name="revision"/> is a full 40-character lowercase hex commit hash.</summary>
    public static bool IsCommitHash(string revision) =>
        revision.Length == 40 && revision.AsSpan().ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>
    /// Validates a commit hash received from the hub (<c>X-Repo-Commit</c>, <c>sha</c> in the API). It names
    /// a snapshot folder, so it must be plain lowercase hex: 40 characters (SHA-1) or 64 (SHA-256 repositories).
    /// </summary>
    public static bool IsValidServerCommit(string? commit) =>
        commit is { Length: 40 or 64 } && !commit.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <summary>
    /// Validates a normalized ETag received from the hub. It names a blob file, so only letters, digits,
    /// '-', '_' and '.' are accepted (the hub sends a git SHA-1 or an LFS SHA-256 in hex).
    /// </summary>
    public static bool IsValidEtag(string? etag)
    {
        if (etag is null || etag.Length is 0 or > MaxEtagLength || etag is "." or "..") return false;
        foreach (var c in etag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) return false;
        }
        return true;
    }

    /// <summary>True when <paramref name="etag"/> is a SHA-256 in hex: the hub's ETag for LFS files, which the content must match.</summary>
    public static bool IsSha256Etag(string etag) =>
        etag.Length == 64 && !etag.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF");

    /// <summary>
    /// Turns an ETag header into a file name the way huggingface_hub does: drop a weak <c>W/</c> prefix
    /// and the surrounding quotes.
    /// </summary>
    public static string? NormalizeEtag(string? etag)
    {
        if (etag is null) return null;
        var value = etag.AsSpan().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        return value.Trim('"').ToString();
    }

    /// <summary>The cache folder name of a model repository: <c>models--namespace--name</c>.</summary>
    public static string RepoFolderName(string repoId) => "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);
}
