using System.Text.Json;
using Embeddings.TestModels;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// A console project that knows the library only through the packed packages (restored from the temporary feed
/// into a temporary packages folder, the global cache only read) builds and embeds with bert-mean-tiny.
/// </summary>
[Collection(nameof(PackagesCollection))]
public sealed class ConsumerProjectTests(PackedPackages packages)
{
    [FixtureFact]
    public void A_consumer_built_from_the_packages_embeds_like_the_reference()
    {
        string repository = Fixtures.RepositoryRoot();
        string library = Path.Combine(repository, "artifacts", "native", "linux-x64", "libonnxruntime.so.1");
        Assert.True(File.Exists(library), $"The ONNX Runtime library {library} is missing; building src/Embeddings.Onnx on linux-x64 fetches it.");

        string consumer = Path.Combine(packages.Root, "consumer");
        CopyConsumerSources(consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), NuGetConfig(packages.Feed, GlobalPackagesFolder(consumer)));

        DotnetCli.Run(consumer,
        [
            "build", "-c", "Release", "--packages", Path.Combine(packages.Root, "packages"), "--disable-build-servers",
            $"-p:EmbeddingsVersion={packages.Version}",
        ]);

        var (text, reference) = FirstReferenceEmbedding();
        string output = DotnetCli.Run(consumer,
            [Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"), Fixtures.ModelDir("bert-mean-tiny"), text],
            new Dictionary<string, string> { ["ORT_DYLIB_PATH"] = library });

        using var result = JsonDocument.Parse(output);
        var direct = result.RootElement.GetProperty("direct").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var generated = result.RootElement.GetProperty("generated").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(32, result.RootElement.GetProperty("dimensions").GetInt32());
        Assert.True(result.RootElement.GetProperty("tokens").GetInt64() > 0);
        Assert.Equal(reference.Length, direct.Length);
        float worst = reference.Zip(direct, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-4f, $"The packaged library's vector differs from the reference by {worst:E2}.");
        Assert.Equal(direct, generated);
    }

    private static void CopyConsumerSources(string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Consumer")))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
    }

    // Only the temporary feed is a source; everything else comes read-only from the machine's package cache,
    // which the repository's own restore has filled. Nothing is written there.
    private static string NuGetConfig(string feed, string globalPackages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="packed" value="{feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <clear />
            <add key="machine-cache" value="{globalPackages}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    private static string GlobalPackagesFolder(string workingDirectory)
    {
        string listing = DotnetCli.Run(workingDirectory, ["nuget", "locals", "global-packages", "--list"]);
        const string prefix = "global-packages:";
        string line = listing.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Trim();
    }

    private static (string Text, float[] Embedding) FirstReferenceEmbedding()
    {
        foreach (string line in File.ReadLines(Path.Combine(Fixtures.ModelDir("bert-mean-tiny"), "refs.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            if (root.GetProperty("type").GetString() != "embedding") continue;
            if (root.TryGetProperty("prompt_name", out var prompt) && prompt.ValueKind == JsonValueKind.String) continue;
            string text = root.GetProperty("text").GetString()!;
            if (text.Length == 0) continue;
            return (text, root.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }
        throw new InvalidOperationException("bert-mean-tiny's refs.jsonl has no embedding record without a prompt.");
    }
}
