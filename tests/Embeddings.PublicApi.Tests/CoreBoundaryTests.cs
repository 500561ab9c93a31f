using System.Reflection;

namespace Embeddings.PublicApi.Tests;

/// <summary>
/// What Embeddings.Core may and may not contain: the flow only (no runtime, no hub), and no public machinery that
/// users never call (so it can change without breaking anyone).
/// </summary>
public sealed class CoreBoundaryTests
{
    private static readonly Assembly Core = typeof(IEmbedder).Assembly;

    [Fact]
    public void Core_names_no_runtime()
    {
        var named = Core.GetTypes()
            .Where(type => !IsCompilerGenerated(type))
            .Where(type => Contains(type.FullName, "Onnx") || type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
                    | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Any(member => Contains(member.Name, "Onnx")))
            .Select(type => type.FullName)
            .ToArray();
        Assert.Empty(named);
    }

    [Fact]
    public void Core_holds_no_hub_client()
    {
        var hubTypes = Core.GetTypes()
            .Where(type => type.Namespace is { } ns && (ns == "Embeddings.Hub" || ns.StartsWith("Embeddings.Hub.", StringComparison.Ordinal)))
            .Select(type => type.FullName)
            .ToArray();
        Assert.Empty(hubTypes);
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), reference => reference.Name == "Embeddings.Hub");
    }

    [Theory]
    [InlineData("Embeddings.Batching.BatchPlan")]
    [InlineData("Embeddings.Batching.PlannedBatch")]
    [InlineData("Embeddings.Batching.BatchingDefaults")]
    [InlineData("Embeddings.Chunking.ChunkTokens")]
    [InlineData("Embeddings.Chunking.MacroWindow")]
    [InlineData("Embeddings.Chunking.MacroWindows")]
    [InlineData("Embeddings.Pooling.PoolingKernels")]
    [InlineData("Embeddings.AI.EmbedderEmbeddingGenerator")]
    public void Machinery_is_not_public(string typeName)
    {
        // Looked up by its simple name anywhere in Core, so a move to another namespace does not hide it.
        string simpleName = typeName[(typeName.LastIndexOf('.') + 1)..];
        var publicTwins = Core.GetExportedTypes().Where(type => type.Name == simpleName).Select(type => type.FullName).ToArray();
        Assert.Empty(publicTwins);
    }

    private static bool Contains(string? text, string word) => text is not null && text.Contains(word, StringComparison.OrdinalIgnoreCase);

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false);
}
