using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

public sealed class ResumeAndIntegrityTests
{
    private const string RepoId = "org/model";

    [Fact]
    public async Task A_connection_dropped_mid_body_is_resumed_with_a_range_request()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(200_000, seed: 10);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        context.Hub.DropGets(context.Hub.CdnPath(model), afterBytes: 50_000, times: 1);

        var path = await context.Client().DownloadFileAsync(RepoId, "model.onnx");

        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        var gets = context.Hub.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, gets.Length);
        Assert.Single(gets, r => r.Header("Range") is null);
        Assert.Single(gets, r => r.Header("Range") == "bytes=50000-");
    }

    [Fact]
    public async Task A_git_file_dropped_mid_body_is_resumed_too()
    {
        await using var context = new HubTestContext();
        var tokenizer = new FakeFile(FakeFile.Binary(120_000, seed: 11).Content, Lfs: false);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["tokenizer.json"] = tokenizer });
        context.Hub.DropGets("/resolve/main/tokenizer.json", afterBytes: 40_000, times: 2);

        var path = await context.Client().DownloadFileAsync(RepoId, "tokenizer.json");

        Assert.Equal(tokenizer.Content, await File.ReadAllBytesAsync(path));
        Assert.Equal(3, context.Hub.Count("GET", "/resolve/main/tokenizer.json"));
    }

    [Fact]
    public async Task A_partial_file_left_by_an_earlier_run_is_continued_from_its_end()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(150_000, seed: 12);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        var incomplete = WritePartial(context, model, model.Content.AsSpan(0, 70_000));

        var path = await context.Client().DownloadFileAsync(RepoId, "model.onnx");

        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        var get = Assert.Single(context.Hub.Requests, r => r.Method == "GET");
        Assert.Equal("bytes=70000-", get.Header("Range"));
        Assert.False(File.Exists(incomplete));
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_still_yields_the_right_file()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(90_000, seed: 13);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        context.Hub.IgnoreRange = true;
        WritePartial(context, model, model.Content.AsSpan(0, 30_000));

        var path = await context.Client().DownloadFileAsync(RepoId, "model.onnx");

        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_partial_file_longer_than_the_file_is_discarded()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(10_000, seed: 14);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        WritePartial(context, model, new byte[12_000]);

        var path = await context.Client().DownloadFileAsync(RepoId, "model.onnx");

        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        Assert.Null(Assert.Single(context.Hub.Requests, r => r.Method == "GET").Header("Range"));
    }

    [Fact]
    public async Task Corrupt_LFS_content_is_rejected_by_its_sha256_and_nothing_is_cached()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(64_000, seed: 15);
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["onnx/model.onnx"] = model });
        context.Hub.CorruptLfsContent = true;
        var client = context.Client();

        var error = await Assert.ThrowsAsync<HubIntegrityException>(() => client.DownloadFileAsync(RepoId, "onnx/model.onnx"));

        Assert.Equal("onnx/model.onnx", error.FileName);
        Assert.Equal(RepoId, error.RepoId);
        Assert.Contains(model.Sha256, error.Message, StringComparison.Ordinal);
        AssertNothingStored(context, model.Sha256, commit, "onnx/model.onnx");

        context.Hub.CorruptLfsContent = false;
        var path = await client.DownloadFileAsync(RepoId, "onnx/model.onnx");
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_stale_partial_file_with_wrong_bytes_fails_the_check_and_the_next_call_starts_over()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(80_000, seed: 16);
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        WritePartial(context, model, new byte[20_000]);
        var client = context.Client();

        await Assert.ThrowsAsync<HubIntegrityException>(() => client.DownloadFileAsync(RepoId, "model.onnx"));
        AssertNothingStored(context, model.Sha256, commit, "model.onnx");

        var path = await client.DownloadFileAsync(RepoId, "model.onnx");
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        Assert.Null(context.Hub.Requests.Where(r => r.Method == "GET").Last().Header("Range"));
    }

    [Fact]
    public async Task A_git_file_longer_than_announced_is_rejected()
    {
        await using var context = new HubTestContext();
        var config = FakeFile.Text("{\"a\": 1}");
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = config });
        context.Hub.ServeLongerGitFiles = true;

        var error = await Assert.ThrowsAsync<HubIntegrityException>(() => context.Client().DownloadFileAsync(RepoId, "config.json"));

        Assert.Contains($"{config.Content.Length} bytes", error.Message, StringComparison.Ordinal);
        AssertNothingStored(context, config.GitSha1, commit, "config.json");
    }

    [Fact]
    public async Task Drops_without_progress_give_up_after_the_retry_budget_and_keep_the_partial_file()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(50_000, seed: 17);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        var incomplete = WritePartial(context, model, model.Content.AsSpan(0, 1_000));
        context.Hub.DropGets(context.Hub.CdnPath(model), afterBytes: 0, times: 100);

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.MaxDownloadRetries = 2).DownloadFileAsync(RepoId, "model.onnx"));

        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, context.Hub.Count("GET", "/cdn/"));
        Assert.Equal(1_000, new FileInfo(incomplete).Length);
    }

    [Fact]
    public async Task Cancelling_keeps_the_partial_file_and_the_next_call_resumes_it()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(400_000, seed: 18);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        context.Hub.ChunkDelay = TimeSpan.FromMilliseconds(5);
        using var cancel = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.BytesDownloaded >= 40_000) cancel.Cancel();
        });
        var client = context.Client();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DownloadFileAsync(RepoId, "model.onnx", progress: progress, cancellationToken: cancel.Token));
        var kept = new FileInfo(Path.Combine(context.RepoFolder(RepoId), "blobs", model.Sha256 + ".incomplete")).Length;
        Assert.InRange(kept, 40_000, 399_999);

        context.Hub.ChunkDelay = TimeSpan.Zero;
        var path = await client.DownloadFileAsync(RepoId, "model.onnx");
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        Assert.Equal($"bytes={kept}-", context.Hub.Requests.Where(r => r.Method == "GET").Last().Header("Range"));
    }

    private static string WritePartial(HubTestContext context, FakeFile file, ReadOnlySpan<byte> content)
    {
        var blobs = Path.Combine(context.RepoFolder(RepoId), "blobs");
        Directory.CreateDirectory(blobs);
        var path = Path.Combine(blobs, (file.Lfs ? file.Sha256 : file.GitSha1) + ".incomplete");
        File.WriteAllBytes(path, content.ToArray());
        return path;
    }

    private static void AssertNothingStored(HubTestContext context, string etag, string commit, string fileName)
    {
        var blobs = Path.Combine(context.RepoFolder(RepoId), "blobs");
        Assert.False(File.Exists(Path.Combine(blobs, etag)));
        Assert.False(File.Exists(Path.Combine(blobs, etag + ".incomplete")));
        Assert.False(File.Exists(Path.Combine(context.RepoFolder(RepoId), "snapshots", commit, fileName)));
    }
}
