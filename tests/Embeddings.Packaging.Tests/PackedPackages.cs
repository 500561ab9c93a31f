using Embeddings.TestModels;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// The src/ packages packed once for the test class (Embeddings.Core; Embeddings.Hub, the Hub client; Embeddings.Onnx.Managed, the ONNX code; the
/// two packages applications choose between, Embeddings.Onnx for the CPU and Embeddings.Onnx.Gpu for CUDA; and the
/// ecosystem packages Embeddings.SemanticKernel and Embeddings.Tokenizers), with a version no other run uses (so no
/// cached copy can stand in for them), into a temporary folder that is deleted afterwards. Build outputs go to a
/// temporary artifacts folder, not to the projects' bin/obj, so builds running beside the tests are not disturbed.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public PackedPackages()
    {
        Root = Path.Combine(Path.GetTempPath(), "embeddings-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Version = "0.1.0-packagingtest." + Guid.NewGuid().ToString("N")[..12];
        Directory.CreateDirectory(Feed);
        string repository = Fixtures.RepositoryRoot();
        // One pack of a solution listing the projects: one restore and one build of the shared code.
        string solution = Path.Combine(Root, "packages.slnx");
        File.WriteAllText(solution, "<Solution>\n" + string.Concat(Projects.Select(project =>
            $"  <Project Path=\"{Path.Combine(repository, "src", project, project + ".csproj")}\" />\n")) + "</Solution>\n");
        DotnetCli.Run(repository,
        [
            "pack", solution, "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "artifacts"),
            "--disable-build-servers", $"-p:Version={Version}",
        ]);
    }

    /// <summary>The projects packed: Embeddings.Onnx is packed as Embeddings.Onnx.Managed, Embeddings.Onnx.Cpu as Embeddings.Onnx.</summary>
    private static readonly string[] Projects =
        ["Embeddings.Core", "Embeddings.Hub", "Embeddings.Onnx", "Embeddings.Onnx.Cpu", "Embeddings.Onnx.Gpu", "Embeddings.SemanticKernel", "Embeddings.Tokenizers", "Embeddings.Remote"];

    /// <summary>The temporary folder holding everything.</summary>
    public string Root { get; }

    /// <summary>The folder the packages were written to (a local NuGet feed).</summary>
    public string Feed { get; }

    /// <summary>The version every package was given.</summary>
    public string Version { get; }

    /// <summary>The .nupkg (or, with <paramref name="symbols"/>, the .snupkg) of <paramref name="id"/>.</summary>
    public string Package(string id, bool symbols = false) => Path.Combine(Feed, $"{id}.{Version}.{(symbols ? "snupkg" : "nupkg")}");

    /// <summary>
    /// A fresh application folder <paramref name="name"/> holding the project template copied with the tests
    /// (<paramref name="template"/>), whose nuget.config makes the temporary feed its only source.
    /// </summary>
    public string CreateConsumer(string template, string name)
    {
        string consumer = Path.Combine(Root, name);
        Directory.CreateDirectory(consumer);
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, template)))
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), NuGetConfig(Feed, GlobalPackagesFolder(consumer)));
        return consumer;
    }

    /// <summary>The machine's NuGet package cache as seen from <paramref name="workingDirectory"/>.</summary>
    public static string GlobalPackagesFolder(string workingDirectory)
    {
        string listing = DotnetCli.Run(workingDirectory, ["nuget", "locals", "global-packages", "--list"]);
        const string prefix = "global-packages:";
        string line = listing.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Trim();
    }

    // Only the temporary feed is a source; everything else comes read-only from the machine's package cache,
    // which the repository's own restore has filled (this project downloads the runtime pack the publish needs).
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
