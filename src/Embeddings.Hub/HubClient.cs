using System.Runtime.ExceptionServices;

namespace Embeddings.Hub;

/// <summary>
/// Downloads files of Hugging Face model repositories into the shared Hugging Face cache, the way Python's
/// huggingface_hub does (<c>hf_hub_download</c>, <c>snapshot_download</c>), so a model fetched by either is
/// reused by the other. Downloads are resumable, atomic, checked against the hub's SHA-256 for LFS files,
/// and safe when several threads or processes fetch the same file. When the hub cannot be reached, or
/// <see cref="HubOptions.Offline"/> is set, files come from the cache.
/// </summary>
/// <remarks>
/// Thread-safe: one instance may serve any number of concurrent calls. Progress is reported from the
/// downloading threads, several files at once in <see cref="DownloadModelAsync"/>, so the
/// <see cref="IProgress{T}"/> given must be thread-safe (<see cref="Progress{T}"/> is).
/// </remarks>
public sealed class HubClient : IDisposable
{
    private readonly HubOptions _options;
    private readonly HubTransport _transport;
    private readonly BlobDownloader _downloader;
    private bool _disposed;

    /// <summary>Creates a client with options from the environment (see <see cref="HubOptions()"/>).</summary>
    public HubClient()
        : this(new HubOptions())
    {
    }

    /// <summary>Creates a client; the options are copied, so later changes to them have no effect.</summary>
    /// <exception cref="ArgumentException">The options' handler follows redirects by itself.</exception>
    public HubClient(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _transport = new HubTransport(_options);
        _downloader = new BlobDownloader(_transport, _options);
        Cache = new HubCache(_options.CacheDirectory);
    }

    /// <summary>The cache this client reads and fills.</summary>
    public HubCache Cache { get; }

    /// <summary>
    /// Asks the hub's model API which commit a revision points to and which files the repository holds.
    /// Needs the network (there is no cached answer).
    /// </summary>
    /// <exception cref="ArgumentException">The repository id or revision is not valid.</exception>
    /// <exception cref="HubOfflineException">Offline mode is on, or the hub could not be reached.</exception>
    /// <exception cref="HubAuthenticationException">Access refused (private or gated model: set HF_TOKEN).</exception>
    /// <exception cref="HubRepositoryNotFoundException">No such repository.</exception>
    /// <exception cref="HubRevisionNotFoundException">No such revision.</exception>
    /// <exception cref="HubResponseException">The hub answered with an unexpected status or content.</exception>
    public async Task<HubRepositoryInfo> GetRepositoryInfoAsync(string repoId, string revision = HubNames.DefaultRevision, CancellationToken cancellationToken = default)
    {
        HubNames.ValidateRepoId(repoId);
        HubNames.ValidateRevision(revision);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_options.Offline)
            throw new HubOfflineException(
                $"Offline mode is on (HF_HUB_OFFLINE or HubOptions.Offline), so the file list of '{repoId}' at revision '{revision}' cannot be asked from the hub.", repoId);
        try
        {
            return await _transport.GetRepositoryInfoAsync(repoId, revision, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            throw new HubOfflineException($"Could not reach the hub at {_options.Endpoint} ({e.Message}) to list the files of '{repoId}' at revision '{revision}'. Check the network connection, any proxy and HF_ENDPOINT.", repoId, e);
        }
    }

    /// <summary>
    /// Returns the local path of one file of a repository, downloading it into the cache when needed, like
    /// huggingface_hub's <c>hf_hub_download</c>. The path is inside <c>snapshots/{commit}/</c> and stays valid
    /// as long as the cache is not cleaned.
    /// </summary>
    /// <param name="repoId">The model id, <c>namespace/name</c>.</param>
    /// <param name="filename">The file, as a '/'-separated path inside the repository (for example <c>onnx/model.onnx</c>).</param>
    /// <param name="revision">A branch, tag or full commit hash. A commit hash already in the cache needs no network at all.</param>
    /// <param name="progress">Receives the bytes downloaded so far (nothing when the file is already cached).</param>
    /// <param name="cancellationToken">Stops waiting and downloading; a partial download is kept and resumed by the next call.</param>
    /// <returns>The path of the file in the snapshot folder.</returns>
    /// <exception cref="ArgumentException">The repository id, file name or revision is not valid (a file name may not leave the snapshot folder).</exception>
    /// <exception cref="HubEntryNotFoundException">The file does not exist at that revision (recorded in the cache's <c>.no_exist</c>).</exception>
    /// <exception cref="HubRevisionNotFoundException">The revision does not exist.</exception>
    /// <exception cref="HubRepositoryNotFoundException">The repository does not exist and nothing is cached.</exception>
    /// <exception cref="HubAuthenticationException">Access refused and nothing is cached (private or gated model: set HF_TOKEN).</exception>
    /// <exception cref="HubOfflineException">Offline, or the hub or network failed, and the file is not cached.</exception>
    /// <exception cref="HubIntegrityException">The downloaded content did not match the announced size or SHA-256.</exception>
    public async Task<string> DownloadFileAsync(string repoId, string filename, string revision = HubNames.DefaultRevision,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        HubNames.ValidateRepoId(repoId);
        HubNames.ValidateFileName(filename);
        HubNames.ValidateRevision(revision);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var file = _options.Offline
            ? LoadFromCache(repoId, filename, revision, failure: null)
            : await FetchFileAsync(repoId, filename, revision, progress, cancellationToken).ConfigureAwait(false);
        return file.Path;
    }

    /// <summary>
    /// Brings the files of a repository that match <paramref name="filePatterns"/> into the cache and returns
    /// the snapshot folder that holds them, like huggingface_hub's <c>snapshot_download</c> with
    /// <c>allow_patterns</c>. Only matching files are downloaded.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Patterns follow Python's <c>fnmatch</c> (<c>*</c> also crosses '/', <c>?</c>, <c>[...]</c>; a trailing '/'
    /// means a whole folder). A pattern without wildcards names one file; if the repository has no such file it
    /// is simply absent from the folder (and recorded in <c>.no_exist</c>), so optional files can be listed
    /// next to required ones and the caller checks which exist.
    /// </para>
    /// <para>
    /// The file list comes from the model API. When the API cannot be reached (for example a mirror that only
    /// serves files), the wildcard-free names are fetched one by one instead, all at the commit the first one
    /// resolved to, and wildcard patterns match only what the cached snapshot already holds. When the hub
    /// cannot be reached at all, or offline mode is on, the cached snapshot of the revision is returned if it
    /// holds (or knows to be absent) every wildcard-free name.
    /// </para>
    /// </remarks>
    /// <param name="repoId">The model id, <c>namespace/name</c>.</param>
    /// <param name="filePatterns">File names and patterns to fetch, for example <c>"*.json"</c>, <c>"onnx/model.onnx"</c>, <c>"1_Pooling/"</c>.</param>
    /// <param name="revision">A branch, tag or full commit hash.</param>
    /// <param name="progress">Receives per-file progress, from several files at once.</param>
    /// <param name="cancellationToken">Stops the downloads; partial files are kept and resumed by the next call.</param>
    /// <returns>The snapshot folder, <c>{cache}/models--{namespace}--{name}/snapshots/{commit}</c>.</returns>
    /// <exception cref="ArgumentException">The repository id or revision is not valid, a pattern is empty, or a wildcard-free pattern is not a safe file name.</exception>
    /// <exception cref="HubRevisionNotFoundException">The revision does not exist.</exception>
    /// <exception cref="HubRepositoryNotFoundException">The repository does not exist and nothing is cached.</exception>
    /// <exception cref="HubAuthenticationException">Access refused and nothing is cached (private or gated model: set HF_TOKEN).</exception>
    /// <exception cref="HubOfflineException">Offline, or the hub or network failed, and the cache lacks some of the files.</exception>
    /// <exception cref="HubIntegrityException">A downloaded file did not match the announced size or SHA-256.</exception>
    public async Task<string> DownloadModelAsync(string repoId, IEnumerable<string> filePatterns, string revision = HubNames.DefaultRevision,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        HubNames.ValidateRepoId(repoId);
        ArgumentNullException.ThrowIfNull(filePatterns);
        HubNames.ValidateRevision(revision);
        var patterns = filePatterns.Select(pattern => FilePattern.Parse(pattern, nameof(filePatterns))).ToArray();
        ObjectDisposedException.ThrowIf(_disposed, this);

        if (_options.Offline)
            return await FetchListedFilesAsync(repoId, revision, patterns, unreachable: null, progress, cancellationToken).ConfigureAwait(false);

        HubRepositoryInfo info;
        try
        {
            info = await _transport.GetRepositoryInfoAsync(repoId, revision, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CanFallBackToCache(e, cancellationToken))
        {
            return await FetchListedFilesAsync(repoId, revision, patterns, unreachable: e, progress, cancellationToken).ConfigureAwait(false);
        }

        var commit = info.CommitHash;
        var listed = info.Files.ToHashSet(StringComparer.Ordinal);
        foreach (var absent in patterns.Where(p => p.IsLiteral && !listed.Contains(p.Text)))
            Cache.MarkMissing(repoId, commit, absent.Text);
        var wanted = info.Files.Where(file => patterns.Any(p => p.IsMatch(file))).ToArray();
        await Parallel.ForEachAsync(wanted,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentDownloads, CancellationToken = cancellationToken },
            async (file, token) => await FetchFileAsync(repoId, file, commit, progress, token).ConfigureAwait(false)).ConfigureAwait(false);
        TryWriteRef(repoId, revision, commit);
        var folder = Cache.SnapshotFolder(repoId, commit);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A file in the cache, the commit whose snapshot holds it, and the hub failure that made us take it from the cache unasked.</summary>
    private readonly record struct CachedFile(string Path, string Commit, Exception? HubFailure = null);

    /// <summary>
    /// hf_hub_download's flow: HEAD for commit and ETag (falling back to the cache when the hub cannot be
    /// used), then, under the blob's lock, download once and link the snapshot entry.
    /// </summary>
    private async Task<CachedFile> FetchFileAsync(string repoId, string fileName, string revision,
        IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (HubNames.IsCommitHash(revision) && Cache.PointerPath(repoId, revision, fileName) is var cached && HubCache.FileIsReadable(cached))
            return new CachedFile(cached, revision);

        HubFileMetadata metadata;
        try
        {
            metadata = await _transport.GetFileMetadataAsync(repoId, revision, fileName, cancellationToken).ConfigureAwait(false);
        }
        catch (HubEntryNotFoundException e) when (e.CommitHash is not null)
        {
            Cache.MarkMissing(repoId, e.CommitHash, fileName);
            Cache.WriteRef(repoId, revision, e.CommitHash);
            throw;
        }
        catch (Exception e) when (CanFallBackToCache(e, cancellationToken))
        {
            return LoadFromCache(repoId, fileName, revision, failure: e);
        }

        var pointer = Cache.PointerPath(repoId, metadata.CommitHash, fileName);
        if (HubCache.FileIsReadable(pointer))
        {
            TryWriteRef(repoId, revision, metadata.CommitHash);
            return new CachedFile(pointer, metadata.CommitHash);
        }
        Cache.WriteRef(repoId, revision, metadata.CommitHash);

        var blob = Cache.BlobPath(repoId, metadata.Etag);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        Cache.TagAsCache();
        await using (await ExclusiveFile.LockAsync(Cache.LockPath(repoId, metadata.Etag), cancellationToken).ConfigureAwait(false))
        {
            // Whoever held the lock before us may have finished this very file.
            if (!HubCache.FileIsReadable(pointer))
            {
                var blobIsNew = false;
                if (new FileInfo(blob) is not { Exists: true } existing || existing.Length != metadata.Size)
                {
                    await _downloader.DownloadAsync(new BlobDownloader.Request(repoId, fileName, metadata, blob), progress, cancellationToken).ConfigureAwait(false);
                    blobIsNew = true;
                }
                SnapshotLinker.Link(blob, pointer, _options.UseSymlinks, blobIsNew);
            }
        }
        return new CachedFile(pointer, metadata.CommitHash);
    }

    /// <summary>
    /// snapshot_download without the file list: fetch the wildcard-free names one by one (only from the
    /// cache in offline mode or once a file showed the hub unreachable), then return the snapshot folder.
    /// </summary>
    private async Task<string> FetchListedFilesAsync(string repoId, string revision, FilePattern[] patterns, Exception? unreachable,
        IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        // Even when the API failed the files themselves may be reachable (a mirror without the API); the
        // first file that fails too switches the rest to the cache.
        var cacheOnly = _options.Offline;
        var failure = unreachable;
        string? commit = HubNames.IsCommitHash(revision) ? revision : null;
        foreach (var name in patterns.Where(p => p.IsLiteral).Select(p => p.Text).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var file = cacheOnly
                    ? LoadFromCache(repoId, name, commit ?? revision, failure)
                    : await FetchFileAsync(repoId, name, commit ?? revision, progress, cancellationToken).ConfigureAwait(false);
                commit ??= file.Commit;
                // Once the hub has failed, asking it again for every remaining file only multiplies the wait.
                if (file.HubFailure is not null)
                {
                    failure ??= file.HubFailure;
                    cacheOnly = true;
                }
            }
            catch (HubEntryNotFoundException e)
            {
                commit ??= e.CommitHash;
            }
        }

        commit ??= Cache.ResolveCommit(repoId, revision);
        var folder = commit is null ? null : Cache.SnapshotFolder(repoId, commit);
        if (folder is null || !Directory.Exists(folder))
        {
            if (failure is HubAuthenticationException or HubRepositoryNotFoundException) ExceptionDispatchInfo.Throw(failure);
            throw new HubOfflineException(
                $"{WhyCacheOnly(failure)} and the cache at {Cache.CacheDirectory} has no snapshot of '{repoId}' at revision '{revision}'. {WhatToDo(failure)}",
                repoId, failure);
        }
        return folder;
    }

    /// <summary>
    /// The cached copy of a file for a revision: refs → commit → snapshot entry. Throws the error that
    /// explains why the hub was not asked when the cache cannot answer.
    /// </summary>
    private CachedFile LoadFromCache(string repoId, string fileName, string revision, Exception? failure)
    {
        var commit = Cache.ResolveCommit(repoId, revision);
        if (commit is not null)
        {
            var pointer = Cache.PointerPath(repoId, commit, fileName);
            if (HubCache.FileIsReadable(pointer)) return new CachedFile(pointer, commit, failure);
            if (Cache.IsKnownMissing(repoId, fileName, commit))
            {
                var context = _transport.Context(repoId, revision, fileName);
                throw HubErrors.EntryNotFound(context, commit, " (Known from the cache's .no_exist record.)");
            }
        }
        // Private, gated or missing repositories are not connection problems: say so rather than "offline".
        if (failure is HubAuthenticationException or HubRepositoryNotFoundException) ExceptionDispatchInfo.Throw(failure);
        throw new HubOfflineException(
            $"{WhyCacheOnly(failure)} and file '{fileName}' of '{repoId}' at revision '{revision}' is not in the cache at {Cache.CacheDirectory}. {WhatToDo(failure)}",
            repoId, failure);
    }

    private string WhyCacheOnly(Exception? failure) => failure is null
        ? "Offline mode is on (HF_HUB_OFFLINE or HubOptions.Offline)"
        : $"The hub at {_options.Endpoint} could not be used ({failure.Message})";

    private static string WhatToDo(Exception? failure) => failure is null
        ? "Download it once with offline mode off, or point HF_HUB_CACHE at a cache that has it."
        : "Check the network connection, any proxy and HF_ENDPOINT, then retry; once downloaded, files are served from the cache when the hub is unreachable.";

    private void TryWriteRef(string repoId, string revision, string commit)
    {
        try
        {
            Cache.WriteRef(repoId, revision, commit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache that already has the file is still usable, as in huggingface_hub.
        }
    }

    /// <summary>
    /// Failures after which huggingface_hub looks in the cache: the network, timeouts, HTTP errors other than
    /// "revision/file not found" (which are answers, not outages), and answers that do not look like a hub.
    /// </summary>
    private static bool CanFallBackToCache(Exception e, CancellationToken cancellationToken) =>
        e is HubAuthenticationException or HubRepositoryNotFoundException || IsUnreachable(e, cancellationToken);

    /// <summary>The hub cannot be used: no connection, no answer in time, or an answer that is an outage or not a hub's.</summary>
    private static bool IsUnreachable(Exception? e, CancellationToken cancellationToken) =>
        e is HubResponseException || (e is not null && IsTransportFailure(e, cancellationToken));

    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or TimeoutException or IOException => true,
        // A cancellation the caller did not ask for is the HTTP stack giving up.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _transport.Dispose();
    }
}
