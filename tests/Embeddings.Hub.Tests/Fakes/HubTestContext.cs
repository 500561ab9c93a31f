using Embeddings.Hub;

namespace Embeddings.Hub.Tests.Fakes;

/// <summary>A fake hub, an empty cache folder, and clients wired to both with no environment leaking in.</summary>
internal sealed class HubTestContext : IAsyncDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly List<HubClient> _clients = [];

    public FakeHub Hub { get; } = new();

    public string CacheDirectory => Path.Combine(_folder.Path, "hub");

    /// <summary>Options as a fresh environment would give them, pointed at the fake hub and the test cache, with no waiting between retries.</summary>
    public HubOptions Options(Action<HubOptions>? configure = null)
    {
        var options = new HubOptions(_ => null)
        {
            Endpoint = Hub.Endpoint,
            CacheDirectory = CacheDirectory,
            RetryDelay = TimeSpan.Zero,
            MetadataTimeout = TimeSpan.FromSeconds(30),
            DownloadTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return options;
    }

    public HubClient Client(Action<HubOptions>? configure = null)
    {
        var client = new HubClient(Options(configure));
        _clients.Add(client);
        return client;
    }

    public string RepoFolder(string repoId) => Path.Combine(CacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await Hub.DisposeAsync();
        _folder.Dispose();
    }
}
