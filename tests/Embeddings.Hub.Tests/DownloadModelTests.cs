using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

public sealed class DownloadModelTests
{
    private const string RepoId = "sentence-transformers/tiny-model";

    private static readonly string[] SentenceTransformerFiles =
    [
        "*.json",
        "1_Pooling/",
        "onnx/model.onnx",
        "sentence_bert_config.json",
        "2_Dense/config.json",
    ];

    /// <summary>A sentence-transformers repository with ONNX exports, PyTorch weights and docs.</summary>
    private static Dictionary<string, FakeFile> RepositoryFiles() => new()
    {
        ["README.md"] = FakeFile.Text("# tiny"),
        ["config.json"] = FakeFile.Text("{\"model_type\": \"bert\"}"),
        ["modules.json"] = FakeFile.Text("[]"),
        ["tokenizer.json"] = FakeFile.Text("{\"model\": {}}"),
        ["1_Pooling/config.json"] = FakeFile.Text("{\"pooling_mode_mean_tokens\": true}"),
        ["onnx/model.onnx"] = FakeFile.Binary(60_000, seed: 30),
        ["onnx/model_O4.onnx"] = FakeFile.Binary(50_000, seed: 31),
        ["pytorch_model.bin"] = FakeFile.Binary(70_000, seed: 32),
    };

    [Fact]
    public async Task The_repository_info_lists_the_commit_and_every_file()
    {
        await using var context = new HubTestContext();
        var files = RepositoryFiles();
        var commit = context.Hub.AddRepo(RepoId).Commit(files);

        var info = await context.Client().GetRepositoryInfoAsync(RepoId);

        Assert.Equal((RepoId, "main", commit), (info.RepoId, info.Revision, info.CommitHash));
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), info.Files);
    }

    [Fact]
    public async Task Only_the_files_matching_the_patterns_are_downloaded()
    {
        await using var context = new HubTestContext();
        var files = RepositoryFiles();
        var commit = context.Hub.AddRepo(RepoId).Commit(files);

        var folder = await context.Client().DownloadModelAsync(RepoId, SentenceTransformerFiles);

        Assert.Equal(Path.Combine(context.RepoFolder(RepoId), "snapshots", commit), folder);
        Assert.Equal(["1_Pooling/config.json", "config.json", "modules.json", "onnx/model.onnx", "tokenizer.json"], FilesIn(folder));
        foreach (var name in FilesIn(folder))
            Assert.Equal(files[name].Content, await File.ReadAllBytesAsync(Path.Combine(folder, name)));
        Assert.Equal(0, context.Hub.Count("HEAD", "model_O4"));
        Assert.Equal(0, context.Hub.Count("HEAD", "pytorch_model.bin"));
        Assert.Equal(0, context.Hub.Count("HEAD", "README.md"));
        Assert.Equal(commit, await File.ReadAllTextAsync(Path.Combine(context.RepoFolder(RepoId), "refs", "main")));
    }

    [Fact]
    public async Task A_named_file_the_repository_lacks_is_absent_and_recorded_as_missing()
    {
        await using var context = new HubTestContext();
        var commit = context.Hub.AddRepo(RepoId).Commit(RepositoryFiles());
        var client = context.Client();

        var folder = await client.DownloadModelAsync(RepoId, SentenceTransformerFiles);

        Assert.False(File.Exists(Path.Combine(folder, "sentence_bert_config.json")));
        Assert.True(File.Exists(Path.Combine(context.RepoFolder(RepoId), ".no_exist", commit, "2_Dense", "config.json")));
        Assert.True(client.Cache.IsKnownMissing(RepoId, "sentence_bert_config.json"));
        Assert.Equal(0, context.Hub.Count("HEAD", "sentence_bert_config.json"));
    }

    [Fact]
    public async Task Progress_covers_every_downloaded_file()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(RepositoryFiles());
        var progress = new RecordingProgress();

        await context.Client().DownloadModelAsync(RepoId, ["onnx/", "config.json"], progress: progress);

        var finals = progress.Reports.GroupBy(r => r.FileName).ToDictionary(g => g.Key, g => g.Max(r => r.BytesDownloaded));
        Assert.Equal(new Dictionary<string, long>
        {
            ["config.json"] = RepositoryFiles()["config.json"].Content.Length,
            ["onnx/model.onnx"] = 60_000,
            ["onnx/model_O4.onnx"] = 50_000,
        }, finals);
    }

    [Fact]
    public async Task Without_the_API_the_named_files_are_fetched_one_by_one()
    {
        await using var context = new HubTestContext();
        var files = RepositoryFiles();
        var commit = context.Hub.AddRepo(RepoId).Commit(files);
        context.Hub.ApiAvailable = false;

        var folder = await context.Client().DownloadModelAsync(RepoId, ["config.json", "onnx/model.onnx", "sentence_bert_config.json", "*.md"]);

        Assert.Equal(Path.Combine(context.RepoFolder(RepoId), "snapshots", commit), folder);
        // A wildcard cannot be expanded without the listing: it only matches what the cache already had.
        Assert.Equal(["config.json", "onnx/model.onnx"], FilesIn(folder));
        Assert.True(File.Exists(Path.Combine(context.RepoFolder(RepoId), ".no_exist", commit, "sentence_bert_config.json")));
        // The first file fixes the commit; the rest are asked for at that commit, not at a moving branch.
        Assert.Equal(1, context.Hub.Count("HEAD", "/resolve/main/"));
        Assert.Equal(2, context.Hub.Count("HEAD", $"/resolve/{commit}/"));
    }

    [Fact]
    public async Task Offline_mode_returns_the_cached_snapshot_without_any_request()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(RepositoryFiles());
        var online = await context.Client().DownloadModelAsync(RepoId, SentenceTransformerFiles);
        var requests = context.Hub.Requests.Count;

        var offline = await context.Client(o => o.Offline = true).DownloadModelAsync(RepoId, SentenceTransformerFiles);

        Assert.Equal(online, offline);
        Assert.Equal(requests, context.Hub.Requests.Count);
    }

    [Fact]
    public async Task Offline_mode_refuses_a_snapshot_that_lacks_a_named_file()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(RepositoryFiles());
        await context.Client().DownloadModelAsync(RepoId, ["config.json"]);

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.Offline = true).DownloadModelAsync(RepoId, ["config.json", "tokenizer.json"]));

        Assert.Contains("'tokenizer.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains("HF_HUB_OFFLINE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_mode_with_nothing_cached_says_so()
    {
        await using var context = new HubTestContext();

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.Offline = true).DownloadModelAsync(RepoId, ["*.json"]));

        Assert.Contains("no snapshot", error.Message, StringComparison.Ordinal);
        Assert.Contains(RepoId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_hub_falls_back_to_the_cached_snapshot()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(RepositoryFiles());
        var online = await context.Client().DownloadModelAsync(RepoId, SentenceTransformerFiles);
        var client = context.Client();
        await context.Hub.DisposeAsync();

        var fallback = await client.DownloadModelAsync(RepoId, SentenceTransformerFiles);
        var incomplete = await Assert.ThrowsAsync<HubOfflineException>(() => client.DownloadModelAsync(RepoId, ["README.md"]));

        Assert.Equal(online, fallback);
        Assert.IsType<HttpRequestException>(incomplete.InnerException);
    }

    [Fact]
    public async Task A_new_commit_gets_its_own_snapshot_and_reuses_unchanged_blobs()
    {
        await using var context = new HubTestContext();
        var files = RepositoryFiles();
        var repo = context.Hub.AddRepo(RepoId);
        repo.Commit(files);
        var client = context.Client();
        var first = await client.DownloadModelAsync(RepoId, SentenceTransformerFiles);
        files["config.json"] = FakeFile.Text("{\"model_type\": \"bert\", \"v\": 2}");
        var second = repo.Commit(files);
        var cdnGets = context.Hub.Count("GET", "/cdn/");

        var folder = await client.DownloadModelAsync(RepoId, SentenceTransformerFiles);

        Assert.NotEqual(first, folder);
        Assert.EndsWith(second, folder, StringComparison.Ordinal);
        Assert.Equal("{\"model_type\": \"bert\", \"v\": 2}", await File.ReadAllTextAsync(Path.Combine(folder, "config.json")));
        Assert.Equal(cdnGets, context.Hub.Count("GET", "/cdn/"));
        Assert.Equal(second, await File.ReadAllTextAsync(Path.Combine(context.RepoFolder(RepoId), "refs", "main")));
    }

    [Fact]
    public async Task An_unknown_revision_is_reported_by_the_API()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(RepositoryFiles());

        var error = await Assert.ThrowsAsync<HubRevisionNotFoundException>(() => context.Client().DownloadModelAsync(RepoId, ["*.json"], "v3"));

        Assert.Equal("v3", error.Revision);
    }

    [Fact]
    public async Task A_private_model_needs_the_token_for_the_listing_too()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId, RepoAccess.Private).Commit(RepositoryFiles());

        await Assert.ThrowsAsync<HubAuthenticationException>(() => context.Client().DownloadModelAsync(RepoId, ["*.json", "config.json"]));
        var folder = await context.Client(o => o.Token = FakeHub.ValidToken).DownloadModelAsync(RepoId, ["*.json"]);

        Assert.Contains("config.json", FilesIn(folder));
    }

    [Fact]
    public async Task An_oversized_API_answer_is_refused_before_it_is_read()
    {
        await using var context = new HubTestContext();
        await using var hostile = new LocalHttpServer(_ => new FakeResponse().With("Content-Length", (100L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var error = await Assert.ThrowsAsync<HubResponseException>(() => context.Client(o => o.Endpoint = hostile.BaseUri).GetRepositoryInfoAsync(RepoId));

        Assert.Contains("larger than 64 MiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../config.json")]
    [InlineData("/abs.json")]
    [InlineData("a\\b.json")]
    [InlineData("")]
    public async Task A_wildcard_free_pattern_must_be_a_safe_file_name(string pattern)
    {
        await using var context = new HubTestContext();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.Client().DownloadModelAsync(RepoId, ["*.json", pattern]));

        Assert.Equal("filePatterns", error.ParamName);
        Assert.Empty(context.Hub.Requests);
    }

    private static string[] FilesIn(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];
}
