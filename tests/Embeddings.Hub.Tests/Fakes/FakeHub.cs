using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Embeddings.Hub.Tests.Fakes;

internal enum RepoAccess
{
    Public,
    Private,
    Gated,
}

/// <summary>A file in a fake repository: small text files are stored in git, large ones in LFS.</summary>
internal sealed record FakeFile(byte[] Content, bool Lfs)
{
    public static FakeFile Text(string text) => new(Encoding.UTF8.GetBytes(text), Lfs: false);

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static FakeFile Binary(int size, int seed, bool lfs = true)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        return new FakeFile(content, lfs);
    }

    /// <summary>The git blob id: SHA-1 of "blob {size}\0" followed by the content (the hub's ETag for git files).</summary>
    public string GitSha1 => Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {Content.Length}\0"), .. Content]));

    /// <summary>The LFS object id: SHA-256 of the content (the hub's X-Linked-Etag for LFS files).</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>What git stores for an LFS file: the pointer text.</summary>
    public byte[] LfsPointer => Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{Sha256}\nsize {Content.Length}\n");
}

internal sealed class FakeRepo(string id, RepoAccess access)
{
    private int _commits;

    public string Id { get; } = id;

    public RepoAccess Access { get; } = access;

    public ConcurrentDictionary<string, string> Branches { get; } = new();

    public ConcurrentDictionary<string, IReadOnlyDictionary<string, FakeFile>> Commits { get; } = new();

    /// <summary>Adds a commit with exactly these files and points <paramref name="branch"/> at it.</summary>
    public string Commit(IReadOnlyDictionary<string, FakeFile> files, string branch = "main")
    {
        var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{Id}#{Interlocked.Increment(ref _commits)}")));
        Commits[sha] = files;
        Branches[branch] = sha;
        return sha;
    }

    public string? ResolveCommit(string revision) =>
        Commits.ContainsKey(revision) ? revision : Branches.TryGetValue(revision, out var sha) ? sha : null;
}

/// <summary>
/// Imitates the parts of huggingface.co the client uses: the model API, the resolve route with its
/// headers and redirects, a CDN for LFS files with Range support, and errors with X-Error-Code.
/// Faults (dropped connections, ignored ranges, corrupt content, outages) are switched on per test.
/// </summary>
internal sealed class FakeHub : IAsyncDisposable
{
    /// <summary>The token that opens private and gated repositories.</summary>
    public const string ValidToken = "hf_FakeHubSecretToken0123456789";

    private readonly LocalHttpServer _server;
    private readonly LocalHttpServer _cdn;
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _renamed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _dropsLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _dropAfter = new(StringComparer.Ordinal);

    public FakeHub()
    {
        _server = new LocalHttpServer(Handle);
        // Another port is another origin: the client must not send the token there.
        _cdn = new LocalHttpServer(Handle);
    }

    public Uri Endpoint => _server.BaseUri;

    /// <summary>Requests to the hub and to its CDN, in no particular order between the two.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => [.. _server.Requests, .. _cdn.Requests];

    /// <summary>When false the model API answers 503 (a mirror without the API, or an API outage).</summary>
    public bool ApiAvailable { get; set; } = true;

    /// <summary>When set, every request gets this status (the hub is down).</summary>
    public int? FailEverythingWith { get; set; }

    /// <summary>When true the CDN answers 200 with the whole file to Range requests.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>When true the CDN serves content with one byte changed (same length).</summary>
    public bool CorruptLfsContent { get; set; }

    /// <summary>When true git files are served one byte longer than announced in the HEAD.</summary>
    public bool ServeLongerGitFiles { get; set; }

    /// <summary>Pause between 4 KiB chunks of every body.</summary>
    public TimeSpan ChunkDelay { get; set; }

    public FakeRepo AddRepo(string id, RepoAccess access = RepoAccess.Public) => _repos[id] = new FakeRepo(id, access);

    /// <summary>Requests for <paramref name="oldId"/> get a relative redirect to <paramref name="newId"/>.</summary>
    public void Rename(string oldId, string newId) => _renamed[oldId] = newId;

    /// <summary>The next <paramref name="times"/> GETs of a path containing <paramref name="pathPart"/> stop after <paramref name="afterBytes"/> bytes with a reset.</summary>
    public void DropGets(string pathPart, int afterBytes, int times)
    {
        _dropAfter[pathPart] = afterBytes;
        _dropsLeft[pathPart] = times;
    }

    public int Count(string method, string pathPart) =>
        Requests.Count(r => r.Method == method && r.Path.Contains(pathPart, StringComparison.Ordinal));

    public string CdnPath(FakeFile file) => $"/cdn/{file.Sha256}";

    private FakeResponse Handle(RecordedRequest request)
    {
        if (FailEverythingWith is { } status) return new FakeResponse { Status = status };
        var segments = request.Path.TrimStart('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["cdn", var sha]) return Cdn(request, sha);
        if (segments is ["api", "models", var org, var name, "revision", var revision]) return Api(request, $"{org}/{name}", revision);
        if (segments is ["api", "models", var bareName, "revision", var bareRevision]) return Api(request, bareName, bareRevision);
        // "namespace/name/resolve/..." or, for legacy ids without a namespace, "name/resolve/...".
        var resolveAt = Array.IndexOf(segments, "resolve");
        if (resolveAt is 1 or 2 && segments.Length >= resolveAt + 3)
            return Resolve(request, string.Join('/', segments[..resolveAt]), segments[resolveAt + 1], string.Join('/', segments[(resolveAt + 2)..]));
        return new FakeResponse { Status = 404 };
    }

    private FakeResponse Api(RecordedRequest request, string repoId, string revision)
    {
        if (!ApiAvailable) return new FakeResponse { Status = 503 };
        if (_renamed.TryGetValue(repoId, out var newId))
            return new FakeResponse { Status = 307 }.With("Location", $"/api/models/{newId}/revision/{Uri.EscapeDataString(revision)}");
        if (CheckRepo(request, repoId, out var repo) is { } refusal) return refusal;
        var commit = repo.ResolveCommit(revision);
        if (commit is null) return Error(404, "RevisionNotFound", $"Invalid rev id: {revision}");
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = repoId,
            sha = commit,
            siblings = repo.Commits[commit].Keys.Order(StringComparer.Ordinal).Select(f => new { rfilename = f }),
        });
        return new FakeResponse { Body = json }.With("Content-Type", "application/json");
    }

    private FakeResponse Resolve(RecordedRequest request, string repoId, string revision, string fileName)
    {
        if (_renamed.TryGetValue(repoId, out var newId))
            return new FakeResponse { Status = 307 }.With("Location", $"/{newId}/resolve/{Uri.EscapeDataString(revision)}/{fileName}");
        if (CheckRepo(request, repoId, out var repo) is { } refusal) return refusal;
        var commit = repo.ResolveCommit(revision);
        if (commit is null) return Error(404, "RevisionNotFound", $"Invalid rev id: {revision}");
        if (!repo.Commits[commit].TryGetValue(fileName, out var file))
            return Error(404, "EntryNotFound", $"{fileName} does not exist on \"{revision}\"").With("X-Repo-Commit", commit);

        if (file.Lfs)
        {
            return new FakeResponse { Status = 302, Body = file.LfsPointer }
                .With("Location", $"{_cdn.BaseUri}cdn/{file.Sha256}?X-Amz-Signature=abc123")
                .With("X-Repo-Commit", commit)
                .With("ETag", $"\"{new FakeFile(file.LfsPointer, false).GitSha1}\"")
                .With("X-Linked-Etag", $"\"{file.Sha256}\"")
                .With("X-Linked-Size", file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var body = ServeLongerGitFiles && request.Method == "GET" ? [.. file.Content, (byte)'!'] : file.Content;
        return Body(request, body, file.Content.Length)
            .With("X-Repo-Commit", commit)
            .With("ETag", $"\"{file.GitSha1}\"");
    }

    private FakeResponse Cdn(RecordedRequest request, string sha)
    {
        var file = _repos.Values.SelectMany(r => r.Commits.Values).SelectMany(c => c.Values).FirstOrDefault(f => f.Lfs && f.Sha256 == sha);
        if (file is null) return new FakeResponse { Status = 404 };
        var content = file.Content;
        if (CorruptLfsContent)
        {
            content = [.. content];
            content[content.Length / 2] ^= 0xFF;
        }
        return Body(request, content, content.Length).With("ETag", $"\"{sha}\"");
    }

    // Serves a body honouring "Range: bytes=N-" unless ranges are ignored; applies any planned drop.
    private FakeResponse Body(RecordedRequest request, byte[] content, int announcedLength)
    {
        var range = request.Header("Range");
        int? dropAfter = null;
        if (request.Method == "GET")
        {
            foreach (var (part, left) in _dropsLeft)
            {
                if (left > 0 && request.Path.Contains(part, StringComparison.Ordinal) && _dropsLeft.TryUpdate(part, left - 1, left))
                {
                    dropAfter = _dropAfter[part];
                    break;
                }
            }
        }
        if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            var start = int.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= content.Length)
                return new FakeResponse { Status = 416 }.With("Content-Range", $"bytes */{content.Length}");
            return new FakeResponse { Status = 206, Body = content[start..], DropAfterBytes = dropAfter, ChunkDelay = ChunkDelay }
                .With("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}")
                .With("Accept-Ranges", "bytes");
        }
        var response = new FakeResponse { Body = content, DropAfterBytes = dropAfter, ChunkDelay = ChunkDelay }.With("Accept-Ranges", "bytes");
        // A HEAD announces the hub's size; a GET announces what it really sends (which may differ on purpose).
        if (request.Method == "HEAD")
            response.With("Content-Length", announcedLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    private FakeResponse? CheckRepo(RecordedRequest request, string repoId, out FakeRepo repo)
    {
        if (!_repos.TryGetValue(repoId, out repo!)) return Error(404, "RepoNotFound", "Repository not found");
        var authorization = request.Header("Authorization");
        var authorized = authorization == $"Bearer {ValidToken}";
        return repo.Access switch
        {
            RepoAccess.Private when !authorized => Error(401, "RepoNotFound", "Invalid username or password."),
            RepoAccess.Gated when authorization is null => Error(401, "GatedRepo", $"Access to model {repoId} is restricted. You must have access to it and be authenticated to access it. Please log in."),
            RepoAccess.Gated when !authorized => Error(403, "GatedRepo", $"Access to model {repoId} is restricted and you are not in the authorized list."),
            _ => null,
        };
    }

    private static FakeResponse Error(int status, string code, string message) =>
        new FakeResponse { Status = status }.With("X-Error-Code", code).With("X-Error-Message", message);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _cdn.DisposeAsync();
    }
}
