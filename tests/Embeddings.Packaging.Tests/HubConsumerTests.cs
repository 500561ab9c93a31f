using System.Text.Json;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// A fresh application referencing only the packed Embeddings.Hub restores it alone (no other Embeddings package comes
/// with it), compiles against HubClient, and gets the typed offline error for a snapshot its empty cache lacks.
/// </summary>
[Collection(nameof(PackagesCollection))]
public sealed class HubConsumerTests(PackedPackages packages)
{
    [Fact]
    public void An_app_with_only_Embeddings_Hub_builds_and_gets_the_typed_offline_error()
    {
        string consumer = packages.CreateConsumer("HubConsumer", "hub-consumer");
        string cache = Path.Combine(consumer, "empty-cache");
        Directory.CreateDirectory(cache);

        DotnetCli.Run(consumer,
        [
            "build", "-c", "Release", "--packages", Path.Combine(packages.Root, "hub-packages"), "--disable-build-servers",
            $"-p:EmbeddingsVersion={packages.Version}",
        ]);
        string output = DotnetCli.Run(consumer, [Path.Combine(consumer, "bin", "Release", "net10.0", "HubConsumer.dll"), cache]);

        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal("Embeddings.Hub.HubOfflineException", result.RootElement.GetProperty("error").GetString());
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", result.RootElement.GetProperty("repoId").GetString());
        Assert.Empty(result.RootElement.GetProperty("others").EnumerateArray());
        Assert.Empty(Directory.GetFileSystemEntries(cache, "models--*"));
    }
}
