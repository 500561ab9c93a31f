using System.Reflection;
using System.Text;
using PublicApiGenerator;

namespace Embeddings.PublicApi.Tests;

/// <summary>Generating, locating and comparing the recorded public API files.</summary>
internal static class PublicApiFiles
{
    /// <summary>Every library assembly (one per code project under src/).</summary>
    public static readonly string[] LibraryAssemblies =
    [
        "Embeddings.Core",
        "Embeddings.Hub",
        "Embeddings.Onnx",
        "Embeddings.Remote",
        "Embeddings.SemanticKernel",
        "Embeddings.Tokenizers",
    ];

    /// <summary>The checkout: the first folder above the test binaries that holds Embeddings.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string BaselinePath(string assemblyName) =>
        Path.Combine(RepositoryRoot, "docs", "public-api", assemblyName + ".txt");

    /// <summary>The public API as C#-like text: public and protected members only, no attributes that change with
    /// every build (assembly metadata), line endings normalized.</summary>
    public static string Generate(Assembly assembly) =>
        Normalize(assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
            ExcludeAttributes =
            [
                "System.Runtime.CompilerServices.NullableContextAttribute",
                "System.Runtime.CompilerServices.NullableAttribute",
            ],
        }));

    public static string Normalize(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    /// <summary>True when <paramref name="directory"/> holds C# sources outside bin/ and obj/.</summary>
    public static bool HasSourceCode(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(directory, file).Replace('\\', '/'))
            .Any(relative => !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal));

    /// <summary>The lines only one side has, marked - (recorded) and + (now), at most 40 of them.</summary>
    public static string FirstDifferences(string recorded, string actual)
    {
        var before = recorded.Split('\n');
        var after = actual.Split('\n');
        var removed = before.Except(after, StringComparer.Ordinal).Select(line => "- " + line);
        var added = after.Except(before, StringComparer.Ordinal).Select(line => "+ " + line);
        var lines = removed.Concat(added).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines.Take(40)) text.AppendLine(line);
        if (lines.Length > 40) text.AppendLine($"… and {lines.Length - 40} more");
        if (lines.Length == 0) text.AppendLine("(the same lines in a different order)");
        return text.ToString();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln"))) return dir.FullName;
        throw new InvalidOperationException("Embeddings.sln was not found above the test binaries.");
    }
}
