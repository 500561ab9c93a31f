using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

public sealed class OfflineTests
{
    private const string RepoId = "org/model";

    [Fact]
    public async Task Offline_mode_serves_a_cached_file_without_any_request()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        var online = await context.Client().DownloadFileAsync(RepoId, "config.json");
        var requests = context.Hub.Requests.Count;

        var offline = await context.Client(o => o.Offline = true).DownloadFileAsync(RepoId, "config.json");

        Assert.Equal(online, offline);
        Assert.Equal(requests, context.Hub.Requests.Count);
    }

    [Fact]
    public async Task Offline_mode_without_the_file_cached_says_what_to_do()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context.Client(o => o.Offline = true).DownloadFileAsync(RepoId, "config.json"));

        Assert.Empty(context.Hub.Requests);
        Assert.Null(error.InnerException);
        Assert.Contains("HF_HUB_OFFLINE", error.Message, StringComparison.Ordinal);
        Assert.Contains("'config.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains(RepoId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_mode_from_the_environment_is_honoured()
    {
        await using var context = new HubTestContext();
        var options = new HubOptions(name => name == "HF_HUB_OFFLINE" ? "1" : null) { Endpoint = context.Hub.Endpoint, CacheDirectory = context.CacheDirectory };
        using var client = new HubClient(options);

        await Assert.ThrowsAsync<HubOfflineException>(() => client.DownloadFileAsync(RepoId, "config.json"));
        Assert.Empty(context.Hub.Requests);
    }

    [Fact]
    public async Task An_unreachable_hub_falls_back_to_the_cached_file_of_the_revision()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{\"cached\": true}") });
        var online = await context.Client().DownloadFileAsync(RepoId, "config.json");
        var client = context.Client();
        await context.Hub.DisposeAsync();

        var fallback = await client.DownloadFileAsync(RepoId, "config.json");
        var missing = await Assert.ThrowsAsync<HubOfflineException>(() => client.DownloadFileAsync(RepoId, "tokenizer.json"));

        Assert.Equal(online, fallback);
        Assert.IsType<HttpRequestException>(missing.InnerException);
        Assert.Contains(context.Hub.Endpoint.Authority, missing.Message, StringComparison.Ordinal);
        Assert.Contains("'tokenizer.json'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_answering_5xx_falls_back_to_the_cache()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        var client = context.Client();
        var online = await client.DownloadFileAsync(RepoId, "config.json");
        context.Hub.FailEverythingWith = 503;

        var fallback = await client.DownloadFileAsync(RepoId, "config.json");
        var missing = await Assert.ThrowsAsync<HubOfflineException>(() => client.DownloadFileAsync(RepoId, "tokenizer.json"));

        Assert.Equal(online, fallback);
        Assert.Equal(503, Assert.IsType<HubResponseException>(missing.InnerException).StatusCode);
    }

    [Fact]
    public async Task A_hub_that_does_not_answer_in_time_counts_as_unreachable()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        await using var silent = new SilentServer();

        var error = await Assert.ThrowsAsync<HubOfflineException>(() => context
            .Client(o => (o.Endpoint, o.MetadataTimeout) = (silent.Endpoint, TimeSpan.FromMilliseconds(200)))
            .DownloadFileAsync(RepoId, "config.json"));

        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task A_private_model_already_cached_is_served_when_the_token_is_missing()
    {
        await using var context = new HubTestContext();
        context.Hub.AddRepo(RepoId, RepoAccess.Private).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        var online = await context.Client(o => o.Token = FakeHub.ValidToken).DownloadFileAsync(RepoId, "config.json");

        var withoutToken = await context.Client().DownloadFileAsync(RepoId, "config.json");

        Assert.Equal(online, withoutToken);
    }

    [Fact]
    public async Task A_file_the_hub_said_is_missing_stays_missing_offline()
    {
        await using var context = new HubTestContext();
        var commit = context.Hub.AddRepo(RepoId).Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{}") });
        await Assert.ThrowsAsync<HubEntryNotFoundException>(() => context.Client().DownloadFileAsync(RepoId, "2_Dense/config.json"));

        var error = await Assert.ThrowsAsync<HubEntryNotFoundException>(() => context.Client(o => o.Offline = true).DownloadFileAsync(RepoId, "2_Dense/config.json"));

        Assert.Equal(commit, error.CommitHash);
        Assert.Equal("2_Dense/config.json", error.FileName);
    }

    [Fact]
    public async Task Offline_mode_serves_a_commit_hash_revision_from_its_snapshot()
    {
        await using var context = new HubTestContext();
        var repo = context.Hub.AddRepo(RepoId);
        var old = repo.Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{\"v\": 1}") });
        var client = context.Client();
        var path = await client.DownloadFileAsync(RepoId, "config.json");
        repo.Commit(new Dictionary<string, FakeFile> { ["config.json"] = FakeFile.Text("{\"v\": 2}") });

        var offline = await context.Client(o => o.Offline = true).DownloadFileAsync(RepoId, "config.json", old);

        Assert.Equal(path, offline);
        Assert.Equal("{\"v\": 1}", await File.ReadAllTextAsync(offline));
    }

    /// <summary>Accepts connections and never answers.</summary>
    private sealed class SilentServer : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);

        public SilentServer() => _listener.Start();

        public Uri Endpoint => new($"http://127.0.0.1:{((System.Net.IPEndPoint)_listener.LocalEndpoint).Port}");

        public ValueTask DisposeAsync()
        {
            _listener.Stop();
            return ValueTask.CompletedTask;
        }
    }
}
