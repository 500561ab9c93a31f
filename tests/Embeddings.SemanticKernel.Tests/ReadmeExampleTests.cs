using Embeddings.Onnx;
using Embeddings.TestModels;

namespace Embeddings.SemanticKernel.Tests;

/// <summary>The README's Semantic Kernel example compiles (as <see cref="ReadmeExample"/>) and runs.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_is_the_compiled_one()
    {
        var root = Fixtures.RepositoryRoot();
        var readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        var heading = Array.IndexOf(readme, "### Semantic Kernel");
        Assert.True(heading >= 0, "README.md has no '### Semantic Kernel' section.");
        var open = Array.FindIndex(readme, heading, l => l.Trim() == "```csharp");
        var close = Array.FindIndex(readme, open + 1, l => l.Trim() == "```");
        var example = readme[(open + 1)..close].Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("var model = ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(example);

        var compiled = File.ReadAllLines(Path.Combine(root, "tests", "Embeddings.SemanticKernel.Tests", "ReadmeExample.cs"))
            .Select(l => l.Trim()).ToArray();
        var at = 0;
        foreach (var line in example)
        {
            var found = Array.IndexOf(compiled, line, at);
            Assert.True(found >= 0, $"The README line \"{line}\" is not in ReadmeExample.cs (in this order).");
            at = found + 1;
        }
    }

    [FixtureFact]
    public async Task The_readme_example_runs_on_a_model_folder()
    {
        var model = Fixtures.ModelDir("bert-mean-tiny");
        var (answer, vectors) = await ReadmeExample.RunAsync(model);

        using var embedder = OnnxEmbedder.Create(model);
        string[] notes = ["The cat sleeps on the warm windowsill.", "Quarterly revenue grew by twelve percent."];
        var direct = embedder.Embed(notes);
        Assert.Equal(notes.Length, vectors.Count);
        for (var i = 0; i < notes.Length; i++)
            Assert.True(direct[i].Span.SequenceEqual(vectors[i].Span) || MaxDifference(direct[i].Span, vectors[i].Span) <= 1e-6f);
        Assert.Contains(answer, notes);
    }

    private static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var worst = 0f;
        for (var i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }
}
