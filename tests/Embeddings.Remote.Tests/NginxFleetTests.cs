using System.Text;
using System.Text.Json;
using Embeddings.Remote.Tests.Support;
using Embeddings.TestModels;

namespace Embeddings.Remote.Tests;

/// <summary>
/// Scale-out as users run it: two server replicas behind a real nginx on loopback, used through the remote embedder
/// and through the command line's <c>--endpoint</c>; both replicas serve, and the vectors are the library's own.
/// </summary>
public sealed class NginxFleetTests
{
    [NginxFact]
    public async Task Embed_through_nginx_over_two_replicas_returns_the_local_vectors()
    {
        string binary = await Nginx.EnsureInstalledAsync();
        string model = Fixtures.ModelDir("bert-mean-tiny");
        // A small client batch size makes 100 texts many requests, which round-robin spreads over both replicas.
        await using var first = await LocalServer.StartAsync(model, "--max-client-batch-size", "8");
        await using var second = await LocalServer.StartAsync(model, "--max-client-batch-size", "8");
        await using var nginx = await Nginx.StartAsync(binary, [first.Address, second.Address]);

        var texts = Enumerable.Range(0, 100).Select(i => $"Document {i}: {(i % 4) switch { 0 => "cats sleep on warm mats", 1 => "markets fell sharply today", 2 => "rain falls mainly on the plain", _ => "embeddings map text to vectors" }} ({i * 7 % 13})").ToArray();
        var expected = first.Model.Embed(texts);

        // The library's remote embedder through the balancer.
        using (var remote = await RemoteEmbedder.ConnectAsync(nginx.Address))
        {
            Assert.Equal(8, remote.MaxClientBatchSize);
            var actual = await remote.EmbedAsync(texts);
            AssertSameVectors(expected, texts.Length, i => actual[i].ToArray());
        }
        double firstAfterLibrary = first.RequestsOn("/embed"), secondAfterLibrary = second.RequestsOn("/embed");
        Assert.True(firstAfterLibrary > 0 && secondAfterLibrary > 0, $"both replicas should serve: {firstAfterLibrary} and {secondAfterLibrary} requests.");
        Assert.Equal(13, firstAfterLibrary + secondAfterLibrary); // 100 texts in requests of at most 8

        // The command line through the balancer.
        string input = string.Concat(texts.Select(text => JsonSerializer.Serialize(new { text }) + "\n"));
        string cli = Path.Combine(AppContext.BaseDirectory, "Embeddings.Cli.dll");
        var (code, output) = await Nginx.RunAsync("dotnet", [cli, "embed", "--endpoint", nginx.Address.ToString()], TimeSpan.FromMinutes(3), input);
        Assert.True(code == 0, $"the CLI failed with {code}: {output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith('{')).ToArray();
        Assert.Equal(texts.Length, lines.Length);
        AssertSameVectors(expected, texts.Length, i =>
        {
            using var line = JsonDocument.Parse(lines[i]);
            return line.RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        });
        Assert.True(first.RequestsOn("/embed") > firstAfterLibrary && second.RequestsOn("/embed") > secondAfterLibrary,
            "both replicas should serve the command line's requests too.");
    }

    private static void AssertSameVectors(EmbeddingResult expected, int count, Func<int, float[]> actual)
    {
        for (int i = 0; i < count; i++)
        {
            var want = expected[i].Span;
            var got = actual(i);
            Assert.Equal(want.Length, got.Length);
            for (int d = 0; d < got.Length; d++)
                Assert.True(Math.Abs(want[d] - got[d]) <= 1e-5f, $"text {i}, component {d}: {want[d]} vs {got[d]}");
        }
    }
}
