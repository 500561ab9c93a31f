using System.Buffers;
using System.Net;
using System.Security.Cryptography;

namespace Embeddings.Hub;

/// <summary>
/// Downloads one blob into <c>blobs/{etag}.incomplete</c> and renames it to <c>blobs/{etag}</c> once it is
/// whole and checked. The partial file survives failures and cancellation, and the next attempt (in this
/// call after a dropped connection, or in a later call) continues it with an HTTP Range request.
/// </summary>
/// <remarks>
/// The caller holds the blob's lock; the partial file is also opened exclusively, so even a process that
/// ignores the lock cannot append to it at the same time.
/// </remarks>
internal sealed class BlobDownloader
{
    private const int BufferSize = 1 << 16;

    private readonly HubTransport _transport;
    private readonly HubOptions _options;

    public BlobDownloader(HubTransport transport, HubOptions options)
    {
        _transport = transport;
        _options = options;
    }

    /// <summary>What to download and where it goes.</summary>
    /// <param name="RepoId">The repository (for messages and progress).</param>
    /// <param name="FileName">The file inside the repository (for messages and progress).</param>
    /// <param name="Metadata">Where to get it, its size and its ETag.</param>
    /// <param name="BlobPath">The final blob path; the partial file is this plus <c>.incomplete</c>.</param>
    public sealed record Request(string RepoId, string FileName, HubFileMetadata Metadata, string BlobPath)
    {
        /// <summary>The partial file, named as huggingface_hub named it before it moved to per-process names.</summary>
        public string IncompletePath => BlobPath + ".incomplete";
    }

    /// <summary>Downloads, verifies and stores the blob.</summary>
    /// <exception cref="HubIntegrityException">The content did not match the announced size or SHA-256; nothing is kept.</exception>
    /// <exception cref="HubOfflineException">The connection kept failing without progress; the partial file is kept for the next call.</exception>
    /// <exception cref="HubException">The hub or CDN answered with an error.</exception>
    public async Task DownloadAsync(Request request, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var expectedSize = request.Metadata.Size;
        var verifiesHash = HubNames.IsSha256Etag(request.Metadata.Etag);
        using var hash = verifiesHash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var partial = new PartialFile(await ExclusiveFile.OpenAsync(request.IncompletePath, cancellationToken).ConfigureAwait(false), hash);
        var complete = false;
        try
        {
            if (partial.Length > expectedSize) partial.Restart();
            else partial.HashExistingContent();
            progress?.Report(new HubDownloadProgress(request.RepoId, request.FileName, partial.Length, expectedSize));

            var attemptsLeft = _options.MaxDownloadRetries;
            while (partial.Length < expectedSize)
            {
                var before = partial.Length;
                try
                {
                    await FetchRemainderAsync(request, partial, progress, cancellationToken).ConfigureAwait(false);
                    if (partial.Length < expectedSize)
                        throw new TransientDownloadException(new IOException($"The server ended the body after {partial.Length} of {expectedSize} bytes."));
                }
                catch (TransientDownloadException e)
                {
                    // As huggingface_hub: any new data restores the full retry budget.
                    if (partial.Length > before) attemptsLeft = _options.MaxDownloadRetries;
                    if (attemptsLeft-- == 0)
                        throw new HubOfflineException(
                            $"Downloading file '{request.FileName}' of '{request.RepoId}' kept failing ({e.InnerException?.Message}); stopped after {_options.MaxDownloadRetries} retries without progress at {partial.Length} of {expectedSize} bytes. The partial file is kept and the next call resumes it.",
                            request.RepoId, e.InnerException);
                    await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(false);
                }
            }

            if (hash is not null)
            {
                var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (!string.Equals(actual, request.Metadata.Etag, StringComparison.OrdinalIgnoreCase))
                {
                    partial.Restart();
                    throw new HubIntegrityException(
                        $"File '{request.FileName}' of '{request.RepoId}' was corrupted in transit: its SHA-256 is {actual}, the hub announced {request.Metadata.Etag.ToLowerInvariant()}. Nothing was cached; retry the download.",
                        request.RepoId, request.FileName);
                }
            }
            partial.Stream.Flush(flushToDisk: true);
            complete = true;
        }
        finally
        {
            await partial.Stream.DisposeAsync().ConfigureAwait(false);
            if (!complete && new FileInfo(request.IncompletePath) is { Exists: true, Length: 0 })
                File.Delete(request.IncompletePath);
        }
        // Closed before the rename: Windows cannot rename a file that is open without delete sharing.
        File.Move(request.IncompletePath, request.BlobPath, overwrite: true);
    }

    /// <summary>One GET from the current end of the partial file; network failures come out as <see cref="TransientDownloadException"/>.</summary>
    private async Task FetchRemainderAsync(Request request, PartialFile partial, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var expectedSize = request.Metadata.Size;
        var context = _transport.Context(request.RepoId, request.Metadata.CommitHash, request.FileName);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_options.DownloadTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _transport.GetFollowingRedirectsAsync(request.Metadata.DownloadUri, partial.Length, context, stall.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw new TransientDownloadException(Stalled(e));
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is 408 or 429 or >= 500)
                throw new TransientDownloadException(new HttpRequestException($"HTTP {status} ({response.ReasonPhrase})", null, response.StatusCode));
            if (status == (int)HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // Our partial file does not fit the file on the server: start over.
                partial.Restart();
                throw new TransientDownloadException(new IOException("The server refused the resume range; restarting from the first byte."));
            }
            if (!response.IsSuccessStatusCode) throw HubErrors.FromResponse(response, context);
            if (status == (int)HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange?.From != partial.Length)
                {
                    partial.Restart();
                    throw new TransientDownloadException(new IOException("The server answered a different range than asked; restarting from the first byte."));
                }
            }
            else if (partial.Length > 0)
            {
                // A full answer to a Range request (the server ignores ranges): keep it, drop what we had.
                partial.Restart();
            }

            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                Stream body;
                try
                {
                    body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
                {
                    throw new TransientDownloadException(Stalled(e));
                }
                await using (body.ConfigureAwait(false))
                {
                    while (true)
                    {
                        stall.CancelAfter(_options.DownloadTimeout);
                        int read;
                        try
                        {
                            read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
                        }
                        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
                        {
                            throw new TransientDownloadException(Stalled(e));
                        }
                        if (read == 0) return;
                        if (partial.Length + read > expectedSize)
                        {
                            partial.Restart();
                            throw new HubIntegrityException(
                                $"File '{request.FileName}' of '{request.RepoId}' is larger than the {expectedSize} bytes the hub announced. Nothing was cached; retry the download.",
                                request.RepoId, request.FileName);
                        }
                        await partial.AppendAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        progress?.Report(new HubDownloadProgress(request.RepoId, request.FileName, partial.Length, expectedSize));
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Exception Stalled(Exception e) => e is OperationCanceledException
            ? new TimeoutException($"No data for {_options.DownloadTimeout.TotalSeconds:0.#} s (HubOptions.DownloadTimeout, HF_HUB_DOWNLOAD_TIMEOUT).", e)
            : e;
    }

    // Connection errors, a body cut short, or our stall timer; the caller's own cancellation is not one.
    private static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e switch
        {
            OperationCanceledException => !cancellationToken.IsCancellationRequested,
            HttpRequestException or IOException => true,
            _ => false,
        };

    /// <summary>A failure worth resuming after: the connection dropped, stalled or the server was briefly unavailable.</summary>
    private sealed class TransientDownloadException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>The <c>.incomplete</c> file with the running hash of everything in it.</summary>
    private sealed class PartialFile(FileStream stream, IncrementalHash? hash)
    {
        public FileStream Stream { get; } = stream;

        public long Length => Stream.Length;

        /// <summary>Feeds a resumed file's existing bytes to the hash and positions at the end.</summary>
        public void HashExistingContent()
        {
            Stream.Position = 0;
            if (hash is not null)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    int read;
                    while ((read = Stream.Read(buffer, 0, BufferSize)) > 0) hash.AppendData(buffer, 0, read);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            Stream.Position = Stream.Length;
        }

        public void Restart()
        {
            Stream.SetLength(0);
            Stream.Position = 0;
            hash?.GetHashAndReset();
        }

        public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            await Stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            hash?.AppendData(data.Span);
        }
    }
}
