using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Embeddings.Packaging.Tests;

/// <summary>
/// What `dotnet pack` puts in the packages: the two code packages carry assemblies, XML docs, README, symbols; the two
/// packages applications add (Embeddings.Onnx, Embeddings.Onnx.Gpu) carry no code, only the code package and one
/// native ONNX Runtime each as dependencies.
/// </summary>
[Collection(nameof(PackagesCollection))]
public sealed class PackageContentTests(PackedPackages packages)
{
    /// <summary>Code packages and the assembly each carries.</summary>
    public static TheoryData<string, string> Code() => new()
    {
        { "Embeddings.Core", "Embeddings.Core" }, { "Embeddings.Onnx.Managed", "Embeddings.Onnx" }, { "Embeddings.Remote", "Embeddings.Remote" },
        { "Embeddings.Hub", "Embeddings.Hub" },
    };

    public static TheoryData<string> Ids() => new() { "Embeddings.Core", "Embeddings.Onnx.Managed", "Embeddings.Onnx", "Embeddings.Onnx.Gpu", "Embeddings.Remote", "Embeddings.Hub" };

    /// <summary>The packages an application adds, and the ONNX Runtime package each brings.</summary>
    public static TheoryData<string, string> RuntimePackages() => new()
    {
        { "Embeddings.Onnx", "Microsoft.ML.OnnxRuntime" },
        { "Embeddings.Onnx.Gpu", "Microsoft.ML.OnnxRuntime.Gpu" },
    };

    private static Dictionary<string, string> Dependencies(string package, string id) =>
        Metadata(package, id).Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);

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
    [MemberData(nameof(Code))]
    public void The_package_carries_the_assembly_its_xml_docs_and_the_readme(string id, string assembly)
    {
        var entries = Entries(packages.Package(id));
        Assert.Contains($"lib/net10.0/{assembly}.dll", entries);
        Assert.Contains($"lib/net10.0/{assembly}.xml", entries);
        Assert.Contains("README.md", entries);
        // The native runtime comes from ONNX Runtime's own packages, through Embeddings.Onnx or Embeddings.Onnx.Gpu.
        Assert.DoesNotContain(entries, e => e.StartsWith("runtimes/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Code))]
    public void The_symbols_package_carries_the_pdb(string id, string assembly)
    {
        Assert.Contains($"lib/net10.0/{assembly}.pdb", Entries(packages.Package(id, symbols: true)));
    }

    [Theory]
    [MemberData(nameof(RuntimePackages))]
    public void A_package_applications_add_brings_the_code_and_exactly_one_native_runtime(string id, string runtime)
    {
        var entries = Entries(packages.Package(id));
        var dependencies = Dependencies(packages.Package(id), id);

        Assert.Equal(packages.Version, dependencies["Embeddings.Onnx.Managed"]);
        Assert.Equal("1.32.0", dependencies[runtime]);
        Assert.Equal(2, dependencies.Count);
        Assert.Equal(["lib/net10.0/_._"], entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)));
        Assert.DoesNotContain(entries, e => e.EndsWith(".dll", StringComparison.Ordinal) || e.StartsWith("runtimes/", StringComparison.Ordinal));
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void The_code_package_depends_on_the_managed_API_only()
    {
        var dependencies = Dependencies(packages.Package("Embeddings.Onnx.Managed"), "Embeddings.Onnx.Managed");

        Assert.Equal("1.32.0", dependencies["Microsoft.ML.OnnxRuntime.Managed"]);
        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime", dependencies.Keys);
        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime.Gpu", dependencies.Keys);
    }

    [Fact]
    public void The_gpu_package_carries_the_build_check_against_a_second_runtime()
    {
        Assert.Contains("buildTransitive/net10.0/Embeddings.Onnx.Gpu.targets", Entries(packages.Package("Embeddings.Onnx.Gpu")));
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
    public void The_onnx_code_package_depends_on_the_core_package_of_the_same_version()
    {
        var dependencies = Dependencies(packages.Package("Embeddings.Onnx.Managed"), "Embeddings.Onnx.Managed");
        Assert.Equal(packages.Version, dependencies["Embeddings.Core"]);
        Assert.Equal(packages.Version, dependencies["Embeddings.Hub"]);
        Assert.Contains("Microsoft.Extensions.DependencyInjection.Abstractions", dependencies.Keys);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", dependencies.Keys);
        Assert.Contains("Microsoft.Extensions.Options", dependencies.Keys);
    }

    [Fact]
    public void The_hub_package_stands_alone()
    {
        // Usable without the embedding library: no Embeddings package, no ONNX Runtime.
        Assert.Empty(Dependencies(packages.Package("Embeddings.Hub"), "Embeddings.Hub"));
    }

    [Fact]
    public void The_remote_package_depends_on_the_core_package_only()
    {
        var dependencies = Dependencies(packages.Package("Embeddings.Remote"), "Embeddings.Remote");
        Assert.Equal(packages.Version, Assert.Single(dependencies, d => d.Key == "Embeddings.Core").Value);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Code))]
    public void The_assembly_was_built_deterministically(string id, string assembly)
    {
        using var zip = ZipFile.OpenRead(packages.Package(id));
        using var packed = zip.GetEntry($"lib/net10.0/{assembly}.dll")!.Open();
        using var copy = new MemoryStream();
        packed.CopyTo(copy);
        copy.Position = 0;
        using var pe = new PEReader(copy);
        // The compiler marks deterministic output with a Reproducible debug directory entry (and a content-derived timestamp).
        Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.Reproducible);
    }
}
