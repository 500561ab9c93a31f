using Embeddings.AI;
using Microsoft.Extensions.AI;

namespace Embeddings.Core.Tests.AI;

public class EmbedderEmbeddingGeneratorTests
{
    [Fact]
    public async Task Generates_one_embedding_per_value_with_usage()
    {
        using var embedder = new FakeEmbedder();
        var generator = embedder.AsEmbeddingGenerator();
        var embeddings = await generator.GenerateAsync(["ab", "cdef"]);
        Assert.Equal(2, embeddings.Count);
        Assert.Equal(new float[] { 2, 3, 4, 5 }, embeddings[0].Vector.ToArray());
        Assert.Equal(new float[] { 4, 5, 6, 7 }, embeddings[1].Vector.ToArray());
        Assert.Equal("fake/model", embeddings[0].ModelId);
        Assert.Equal(4 + 6, embeddings.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Dimensions_become_matryoshka_truncation()
    {
        using var embedder = new FakeEmbedder();
        var generator = embedder.AsEmbeddingGenerator(new EmbedOptions { PromptName = "query" });
        var embeddings = await generator.GenerateAsync(["abc"], new EmbeddingGenerationOptions { Dimensions = 2 });
        Assert.Equal(2, embeddings[0].Dimensions);
        Assert.Equal(2, embedder.LastOptions!.Dimensions);
        Assert.Equal("query", embedder.LastOptions.PromptName);
    }

    [Fact]
    public async Task Another_model_id_is_refused()
    {
        using var embedder = new FakeEmbedder();
        var generator = embedder.AsEmbeddingGenerator();
        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "other" }));
    }

    [Fact]
    public void Exposes_metadata_and_the_embedder()
    {
        using var embedder = new FakeEmbedder();
        var generator = embedder.AsEmbeddingGenerator();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(EmbedderEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal("fake/model", metadata.DefaultModelId);
        Assert.Equal(4, metadata.DefaultModelDimensions);
        Assert.Same(embedder, generator.GetService<IEmbedder>());
        Assert.Same(generator, generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(generator.GetService<IEmbedder>("key"));
    }

    [Fact]
    public void Disposes_the_embedder_only_when_it_owns_it()
    {
        var embedder = new FakeEmbedder();
        new EmbedderEmbeddingGenerator(embedder).Dispose();
        Assert.False(embedder.Disposed);
        new EmbedderEmbeddingGenerator(embedder, ownsEmbedder: true).Dispose();
        Assert.True(embedder.Disposed);
    }
}
