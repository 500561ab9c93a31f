using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

public sealed class DownloadFileTests
{
    private const string RepoId = "org/model";

    [Fact]
    public async Task A_git_file_lands_in_the_snapshot_as_a_relative_link_to_its_blob()
    {
        await using var context = new HubTestContext();
        var config = FakeFile.Text("{\"hidden_size\": 32}");
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = config });

        var path = await context.Client().DownloadFileAsync(RepoId, "config.json");

        var repoFolder = context.RepoFolder(RepoId);
        Assert.Equal(Path.Combine(repoFolder, "snapshots", commit, "config.json"), path);
        Assert.Equal("{\"hidden_size\": 32}", await File.ReadAllTextAsync(path));
        Assert.Equal($"../../blobs/{config.GitSha1}", new FileInfo(path).LinkTarget);
        Assert.Equal(config.Content, await File.ReadAllBytesAsync(Path.Combine(repoFolder, "blobs", config.GitSha1)));
        Assert.Equal(commit, await File.ReadAllTextAsync(Path.Combine(repoFolder, "refs", "main")));
        Assert.False(File.Exists(Path.Combine(repoFolder, "blobs", config.GitSha1 + ".incomplete")));
        Assert.StartsWith("Signature: 8a477f597d28d172789f06886806bc55\n", await File.ReadAllTextAsync(Path.Combine(context.CacheDirectory, "CACHEDIR.TAG")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nested_file_links_one_level_further_up()
    {
        await using var context = new HubTestContext();
        var pooling = FakeFile.Text("{\"pooling_mode_mean_tokens\": true}");
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["1_Pooling/config.json"] = pooling });

        var path = await context.Client().DownloadFileAsync(RepoId, "1_Pooling/config.json");

        Assert.Equal(Path.Combine(context.RepoFolder(RepoId), "snapshots", commit, "1_Pooling", "config.json"), path);
        Assert.Equal($"../../../blobs/{pooling.GitSha1}", new FileInfo(path).LinkTarget);
        Assert.Equal(pooling.Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task An_LFS_file_comes_from_the_CDN_redirect_and_its_blob_is_named_by_its_sha256()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(300_000, seed: 1);
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["onnx/model.onnx"] = model });

        var path = await context.Client().DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.Equal(Path.Combine(context.RepoFolder(RepoId), "snapshots", commit, "onnx", "model.onnx"), path);
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        Assert.Equal($"../../../blobs/{model.Sha256}", new FileInfo(path).LinkTarget);
        Assert.Equal(1, context.Hub.Count("HEAD", "/resolve/main/onnx/model.onnx"));
        Assert.Equal(0, context.Hub.Count("GET", "/resolve/"));
        Assert.Equal(1, context.Hub.Count("GET", context.Hub.CdnPath(model)));
    }

    [Fact]
    public async Task The_token_goes_to_the_hub_as_a_bearer_header_and_never_to_the_CDN()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(50_000, seed: 2);
        context.Hub.AddRepo(RepoId, RepoAccess.Private).Commit(new Dictionary<string, FakeFile>
        {
            ["onnx/model.onnx"] = model,
            ["config.json"] = FakeFile.Text("{}"),
        });
        var client = context.Client(o => o.Token = FakeHub.ValidToken);

        await client.DownloadFileAsync(RepoId, "onnx/model.onnx");
        await client.DownloadFileAsync(RepoId, "config.json");

        var toHub = context.Hub.Requests.Where(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, toHub.Length);
        Assert.All(toHub, r => Assert.Equal($"Bearer {FakeHub.ValidToken}", r.Header("Authorization")));
        var toCdn = Assert.Single(context.Hub.Requests, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal));
        Assert.Null(toCdn.Header("Authorization"));
    }

    [Fact]
    public async Task A_cached_file_costs_one_HEAD_and_no_download()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["onnx/model.onnx"] = FakeFile.Binary(20_000, seed: 3) });
        var client = context.Client();

        var first = await client.DownloadFileAsync(RepoId, "onnx/model.onnx");
        var second = await client.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.Equal(first, second);
        Assert.Equal(2, context.Hub.Count("HEAD", "/resolve/"));
        Assert.Equal(1, context.Hub.Count("GET", "/cdn/"));
    }

    [Fact]
    public async Task A_cached_commit_hash_revision_needs_no_request_at_all()
    {
        await using var context = new HubTestContext();
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        var client = context.Client();
        var first = await client.DownloadFileAsync(RepoId, "config.json", commit);
        var requests = context.Hub.Requests.Count;

        var second = await client.DownloadFileAsync(RepoId, "config.json", commit);

        Assert.Equal(first, second);
        Assert.Equal(requests, context.Hub.Requests.Count);
        Assert.False(Directory.Exists(Path.Combine(context.RepoFolder(RepoId), "refs")));
    }

    [Fact]
    public async Task A_renamed_repository_is_followed_through_its_relative_redirect()
    {
        await using var context = new HubTestContext();
        var config = FakeFile.Text("{\"renamed\": true}");
        var model = FakeFile.Binary(10_000, seed: 4);
        var commit = context.Hub.AddRepo("org/new-name").Commit(new Dictionary<string, FakeFile>
        {
            ["config.json"] = config,
            ["model.onnx"] = model,
        });
        context.Hub.Rename("org/old-name", "org/new-name");
        var client = context.Client();

        var configPath = await client.DownloadFileAsync("org/old-name", "config.json");
        var modelPath = await client.DownloadFileAsync("org/old-name", "model.onnx");

        // Stored under the id that was asked for, as huggingface_hub does.
        Assert.Equal(Path.Combine(context.RepoFolder("org/old-name"), "snapshots", commit, "config.json"), configPath);
        Assert.Equal(config.Content, await File.ReadAllBytesAsync(configPath));
        Assert.Equal(model.Content, await File.ReadAllBytesAsync(modelPath));
        Assert.Equal(2, context.Hub.Count("HEAD", "/org/new-name/resolve/"));
    }

    [Fact]
    public async Task A_revision_with_slashes_is_sent_encoded_and_stored_as_a_nested_ref()
    {
        await using var context = new HubTestContext();
        var repo = context.Hub.AddRepo(RepoId);
        repo.Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{\"main\": 1}") });
        var prCommit = repo.Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{\"pr\": 1}") }, branch: "refs/pr/1");

        var path = await context.Client().DownloadFileAsync(RepoId, "config.json", "refs/pr/1");

        Assert.Equal("{\"pr\": 1}", await File.ReadAllTextAsync(path));
        Assert.Equal(prCommit, await File.ReadAllTextAsync(Path.Combine(context.RepoFolder(RepoId), "refs", "refs", "pr", "1")));
        Assert.Equal(1, context.Hub.Count("HEAD", "/resolve/refs%2Fpr%2F1/config.json"));
    }

    [Fact]
    public async Task A_file_name_with_spaces_is_percent_encoded_in_the_URL()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["docs/read me.txt"] = FakeFile.Text("hello") });

        var path = await context.Client().DownloadFileAsync(RepoId, "docs/read me.txt");

        Assert.Equal("hello", await File.ReadAllTextAsync(path));
        Assert.Equal(1, context.Hub.Count("GET", "/resolve/main/docs/read%20me.txt"));
    }

    [Fact]
    public async Task Progress_grows_to_the_file_size()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(200_000, seed: 5);
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        var progress = new RecordingProgress();

        await context.Client().DownloadFileAsync(RepoId, "model.onnx", progress: progress);

        var reports = progress.Reports;
        Assert.True(reports.Count >= 2);
        Assert.All(reports, r => Assert.Equal((RepoId, "model.onnx", 200_000L), (r.RepoId, r.FileName, r.TotalBytes)));
        Assert.Equal(0, reports[0].BytesDownloaded);
        Assert.Equal(200_000, reports[^1].BytesDownloaded);
        Assert.True(reports.Zip(reports.Skip(1)).All(pair => pair.First.BytesDownloaded <= pair.Second.BytesDownloaded));
    }

    [Fact]
    public async Task Without_symlinks_the_snapshot_holds_the_file_itself()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(30_000, seed: 6);
        var repo = context.Hub.AddRepo(RepoId);
        repo.Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        var client = context.Client(o => o.UseSymlinks = false);
        var first = await client.DownloadFileAsync(RepoId, "model.onnx");
        // The same content at a later commit: its blob was moved into the first snapshot, so it is fetched again.
        repo.Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model, ["config.json"] = FakeFile.Text("{}") });

        var second = await client.DownloadFileAsync(RepoId, "model.onnx");

        Assert.NotEqual(first, second);
        foreach (var path in new[] { first, second })
        {
            Assert.Null(new FileInfo(path).LinkTarget);
            Assert.Equal(model.Content, await File.ReadAllBytesAsync(path));
        }
    }

    [Fact]
    public async Task A_new_commit_reuses_the_blob_of_unchanged_content()
    {
        await using var context = new HubTestContext();
        var model = FakeFile.Binary(40_000, seed: 7);
        var repo = context.Hub.AddRepo(RepoId);
        var firstCommit = repo.Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model });
        var client = context.Client();
        var first = await client.DownloadFileAsync(RepoId, "model.onnx");
        var secondCommit = repo.Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = model, ["README.md"] = FakeFile.Text("v2") });

        var second = await client.DownloadFileAsync(RepoId, "model.onnx");

        Assert.Contains(firstCommit, first, StringComparison.Ordinal);
        Assert.Contains(secondCommit, second, StringComparison.Ordinal);
        Assert.Equal(new FileInfo(first).LinkTarget, new FileInfo(second).LinkTarget);
        Assert.Equal(1, context.Hub.Count("GET", "/cdn/"));
        Assert.Equal(secondCommit, await File.ReadAllTextAsync(Path.Combine(context.RepoFolder(RepoId), "refs", "main")));
    }

    [Fact]
    public async Task A_supplied_handler_carries_every_request()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["model.onnx"] = FakeFile.Binary(5_000, seed: 8) });
        using var counting = new CountingHandler(new SocketsHttpHandler { AllowAutoRedirect = false });

        await context.Client(o => o.HttpMessageHandler = counting).DownloadFileAsync(RepoId, "model.onnx");

        Assert.Equal(2, counting.Requests);
        Assert.Equal(2, context.Hub.Requests.Count);
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
