using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Embeddings.Packaging.Tests;

/// <summary>What `dotnet pack` puts in the two packages: assemblies, XML docs, README, symbols, metadata, dependencies.</summary>
[Collection(nameof(PackagesCollection))]
public sealed class PackageContentTests(PackedPackages packages)
{
    public static TheoryData<string> Ids() => new() { "Embeddings.Core", "Embeddings.Onnx", "Embeddings.Remote" };

    private static string[] Entries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    private static XElement Metadata(string package, string id)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry($"{id}.nuspec")!.Open();
        var nuspec = XDocument.Load(stream).Root!;
        return nuspec.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_package_carries_the_assembly_its_xml_docs_and_the_readme(string id)
    {
        var entries = Entries(packages.Package(id));
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("README.md", entries);
        // The ONNX Runtime binary is the application's to bring (Microsoft.ML.OnnxRuntime or ORT_DYLIB_PATH).
        Assert.DoesNotContain(entries, e => e.StartsWith("runtimes/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_symbols_package_carries_the_pdb(string id)
    {
        Assert.Contains($"lib/net10.0/{id}.pdb", Entries(packages.Package(id, symbols: true)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_metadata_names_the_license_authors_readme_and_no_icon(string id)
    {
        var metadata = Metadata(packages.Package(id), id);
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(packages.Version, Value(metadata, "version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("Embeddings for .NET contributors", Value(metadata, "authors"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.Contains("embeddings", Value(metadata, "tags") ?? "");
        Assert.Null(Value(metadata, "icon"));
        Assert.Null(Value(metadata, "iconUrl"));
    }

    [Fact]
    public void The_onnx_package_depends_on_the_core_package_of_the_same_version()
    {
        var dependencies = Metadata(packages.Package("Embeddings.Onnx"), "Embeddings.Onnx").Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
        Assert.Equal(packages.Version, dependencies["Embeddings.Core"]);
        Assert.Contains("Microsoft.Extensions.DependencyInjection.Abstractions", dependencies.Keys);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", dependencies.Keys);
        Assert.Contains("Microsoft.Extensions.Options", dependencies.Keys);
    }

    [Fact]
    public void The_remote_package_depends_on_the_core_package_only()
    {
        var dependencies = Metadata(packages.Package("Embeddings.Remote"), "Embeddings.Remote").Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
        Assert.Equal(packages.Version, Assert.Single(dependencies, d => d.Key == "Embeddings.Core").Value);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_assembly_was_built_deterministically(string id)
    {
        using var zip = ZipFile.OpenRead(packages.Package(id));
        using var packed = zip.GetEntry($"lib/net10.0/{id}.dll")!.Open();
        using var copy = new MemoryStream();
        packed.CopyTo(copy);
        copy.Position = 0;
        using var pe = new PEReader(copy);
        // The compiler marks deterministic output with a Reproducible debug directory entry (and a content-derived timestamp).
        Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.Reproducible);
    }
}
