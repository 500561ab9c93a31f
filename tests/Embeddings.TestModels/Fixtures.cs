using Xunit;

namespace Embeddings.TestModels;

/// <summary>
/// Finds the shared fixtures (real tokenizer files, small model folders, a text corpus) that live in a
/// <c>shared</c> folder beside the repository. Tests read them in place and never copy them.
/// Set <c>EMBEDDINGS_SHARED_DIR</c> to point elsewhere.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? SharedRoot => Root.Value;

    /// <summary>True when the shared fixtures are present.</summary>
    public static bool Available => SharedRoot is not null;

    /// <summary>True when running in CI, where missing fixtures are a failure rather than a skip.</summary>
    public static bool InContinuousIntegration =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reason fixture tests are skipped, or null when they run.</summary>
    public static string? SkipReason =>
        Available || InContinuousIntegration
            ? null
            : "The shared fixtures folder (../shared beside the repository, or EMBEDDINGS_SHARED_DIR) was not found.";

    /// <summary>A tokenizer fixture folder, e.g. <c>bert-uncased</c>.</summary>
    public static string TokenizerDir(string name) => Path.Combine(Require(), "fixtures", "tokenizers", name);

    /// <summary>A model fixture folder, e.g. <c>bert-mean-tiny</c>.</summary>
    public static string ModelDir(string name) => Path.Combine(Require(), "fixtures", "models", name);

    /// <summary>The natural-text corpus folder.</summary>
    public static string CorpusDir => Path.Combine(Require(), "corpus");

    /// <summary>The names of all tokenizer fixtures.</summary>
    public static IReadOnlyList<string> TokenizerNames() =>
        Directory.GetDirectories(Path.Combine(Require(), "fixtures", "tokenizers"))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The repository root (the folder holding Embeddings.sln), found from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Embeddings.sln above {AppContext.BaseDirectory}.");
    }

    private static string Require() =>
        SharedRoot ?? throw new DirectoryNotFoundException(
            "The shared fixtures folder was not found: expected 'shared' beside the repository, or EMBEDDINGS_SHARED_DIR.");

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("EMBEDDINGS_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Directory.Exists(Path.Combine(fromEnvironment, "fixtures")) ? Path.GetFullPath(fromEnvironment) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Embeddings.sln"))) continue;
            var shared = Path.Combine(dir.FullName, "..", "shared");
            return Directory.Exists(Path.Combine(shared, "fixtures")) ? Path.GetFullPath(shared) : null;
        }
        return null;
    }
}

/// <summary>A fact that needs the shared fixtures: skipped with a message when they are absent, except in CI.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute.</summary>
    public FixtureFactAttribute()
    {
        if (Fixtures.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs the shared fixtures: skipped with a message when they are absent, except in CI.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    /// <summary>Creates the attribute.</summary>
    public FixtureTheoryAttribute()
    {
        if (Fixtures.SkipReason is { } reason) Skip = reason;
    }
}
