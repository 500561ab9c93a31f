using Embeddings.Onnx;
using Embeddings.TestModels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;
using Microsoft.SemanticKernel.Services;

namespace Embeddings.SemanticKernel.Tests;

/// <summary>A Semantic Kernel kernel built with <c>AddEmbeddingModel</c> resolves both embedding services over one model.</summary>
public sealed class KernelServicesTests
{
    private static readonly string[] Texts =
    [
        "The cat sits on the mat.",
        "Stock markets fell sharply on Monday.",
        "",
        "A considerably longer sentence, so that the batch holds texts of different lengths and padding matters.",
    ];

    private static string Model => Fixtures.ModelDir("bert-mean-tiny");

    private static Kernel BuildKernel() => Kernel.CreateBuilder().AddEmbeddingModel(Model).Build();

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var d = 0; d < expected.Length; d++)
            Assert.True(Math.Abs(expected[d] - actual[d]) <= 1e-6f, $"dimension {d}: {expected[d]} vs {actual[d]}");
    }

    [FixtureFact]
    public async Task Both_services_resolve_and_give_the_library_vectors()
    {
        using var embedder = OnnxEmbedder.Create(Model);
        var expected = embedder.Embed(Texts);

        var built = BuildKernel();
        var generator = built.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var service = built.GetRequiredService<ITextEmbeddingGenerationService>();

        var generated = await generator.GenerateAsync(Texts);
        var vectors = await service.GenerateEmbeddingsAsync(Texts, built);
        Assert.Equal(Texts.Length, generated.Count);
        Assert.Equal(Texts.Length, vectors.Count);
        for (var i = 0; i < Texts.Length; i++)
        {
            AssertClose(expected[i].Span, generated[i].Vector.Span);
            AssertClose(expected[i].Span, vectors[i].Span);
        }
    }

    [FixtureFact]
    public async Task The_service_matches_the_independent_reference()
    {
        var reference = File.ReadLines(Path.Combine(Model, "refs.jsonl"))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .First(r => r.GetProperty("type").GetString() == "embedding" && r.GetProperty("id").GetString() == "dev-hello");
        var want = reference.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        var service = BuildKernel().GetRequiredService<ITextEmbeddingGenerationService>();
        var got = (await service.GenerateEmbeddingsAsync([reference.GetProperty("text").GetString()!]))[0].Span;
        Assert.Equal(want.Length, got.Length);
        for (var d = 0; d < want.Length; d++) Assert.True(Math.Abs(want[d] - got[d]) <= 1e-4f, $"dimension {d}");
    }

    [FixtureFact]
    public void Both_services_share_one_loaded_model_and_report_its_id()
    {
        var kernel = BuildKernel();
        var service = kernel.GetRequiredService<ITextEmbeddingGenerationService>();
        var generator = kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embedder = kernel.GetRequiredService<IEmbedder>();

        Assert.Same(service, kernel.GetRequiredService<ITextEmbeddingGenerationService>());
        Assert.Same(embedder, generator.GetService<IEmbedder>());
        Assert.Equal(embedder.Info.ModelId, service.GetModelId());
        Assert.Equal(embedder.Info.ModelId, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.Equal(embedder.Info.Dimensions, service.Attributes[EmbedderTextEmbeddingGenerationService.DimensionsKey]);
    }

    [FixtureFact]
    public async Task A_cancelled_call_throws_and_the_service_keeps_working()
    {
        var service = BuildKernel().GetRequiredService<ITextEmbeddingGenerationService>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.GenerateEmbeddingsAsync(Texts, null, cancelled.Token));
        Assert.Equal(Texts.Length, (await service.GenerateEmbeddingsAsync(Texts)).Count);
    }

    [FixtureFact]
    public async Task An_empty_list_gives_no_vectors()
    {
        var service = BuildKernel().GetRequiredService<ITextEmbeddingGenerationService>();
        Assert.Empty(await service.GenerateEmbeddingsAsync([]));
    }

    [FixtureFact]
    public async Task Generation_defaults_apply_to_both_services()
    {
        var kernel = Kernel.CreateBuilder().AddEmbeddingModel(options =>
        {
            options.Model = Model;
            options.GenerationDefaults = new EmbedOptions { Dimensions = 16 };
        }).Build();
        var service = kernel.GetRequiredService<ITextEmbeddingGenerationService>();
        var generator = kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var vector = (await service.GenerateEmbeddingsAsync(["Hello world"]))[0];
        var embedding = await generator.GenerateAsync("Hello world");
        Assert.Equal(16, vector.Length);
        AssertClose(embedding.Vector.Span, vector.Span);
        Assert.Equal(16, service.Attributes[EmbedderTextEmbeddingGenerationService.DimensionsKey]);
    }

    [Fact]
    public void Registering_twice_keeps_one_service_of_each_kind()
    {
        var services = new ServiceCollection();
        services.AddEmbeddingModel("some/model").AddEmbeddingModel("some/model");
        Assert.Single(services, d => d.ServiceType == typeof(ITextEmbeddingGenerationService));
        Assert.Single(services, d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>));
    }

    [Fact]
    public void A_missing_model_name_is_refused_when_registering()
    {
        Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddEmbeddingModel(" "));
        Assert.Throws<ArgumentNullException>(() => Kernel.CreateBuilder().AddEmbeddingModel((Action<Embeddings.Onnx.EmbedderServiceOptions>)null!));
    }
}
