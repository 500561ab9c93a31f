using System.Reflection;
using PublicApiGenerator;

namespace Embeddings.PublicApi.Tests;

/// <summary>
/// The public surface of every library package is recorded in docs/public-api/&lt;assembly&gt;.txt, so a change to it
/// is a deliberate, reviewed edit of that file rather than a side effect. When a change is intended, run these tests
/// with UPDATE_PUBLIC_API=1 to rewrite the files, and commit them with the change.
/// </summary>
public sealed class PublicApiBaselineTests
{
    private const string UpdateVariable = "UPDATE_PUBLIC_API";

    /// <summary>The library assemblies users reference (the samples, benchmarks and tests are not recorded).</summary>
    public static TheoryData<string> LibraryAssemblies => new(PublicApiFiles.LibraryAssemblies);

    [Theory]
    [MemberData(nameof(LibraryAssemblies))]
    public void Public_api_matches_the_recorded_baseline(string assemblyName)
    {
        string actual = PublicApiFiles.Generate(Assembly.Load(assemblyName));
        string path = PublicApiFiles.BaselinePath(assemblyName);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No baseline for {assemblyName} at {path}. Run the tests with {UpdateVariable}=1 to record it.");
        string recorded = PublicApiFiles.Normalize(File.ReadAllText(path));
        if (recorded != actual)
            Assert.Fail($"The public API of {assemblyName} differs from {Path.GetFileName(path)}:\n{PublicApiFiles.FirstDifferences(recorded, actual)}\n"
                + $"If the change is intended, run the tests with {UpdateVariable}=1 and commit the updated baseline.");
    }

    [Fact]
    public void Every_library_project_under_src_has_a_baseline()
    {
        // A new package must be added to LibraryAssemblies (and so get a baseline) rather than slip by unrecorded.
        var projects = Directory.GetDirectories(Path.Combine(PublicApiFiles.RepositoryRoot, "src"))
            .Where(PublicApiFiles.HasSourceCode)
            .Select(dir => Path.GetFileName(dir)!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(projects, PublicApiFiles.LibraryAssemblies.Order(StringComparer.Ordinal).ToArray());
    }
}
