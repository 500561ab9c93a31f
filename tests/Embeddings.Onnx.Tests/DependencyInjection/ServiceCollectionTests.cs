using Embeddings.AI;
using Embeddings.TestModels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embeddings.Onnx.Tests.DependencyInjection;

/// <summary>services.AddEmbedder / AddEmbeddingGenerator in a real container and host, on the bert-mean-tiny fixture.</summary>
public sealed class ServiceCollectionTests
{
    private static readonly string[] Texts = ["The cat sits on the mat.", "A feline rests on a rug.", ""];

    private static ServiceProvider Build(Action<IServiceCollection> register, CapturedLogs? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Debug);
            if (logs is not null) builder.AddProvider(logs);
        });
        register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [FixtureFact]
    public void The_registered_embedder_gives_exactly_what_the_factory_gives()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        using var provider = Build(services => services.AddEmbedder(model));
        using var direct = OnnxEmbedder.Create(model);

        var embedder = provider.GetRequiredService<IEmbedder>();
        var expected = direct.Embed(Texts);
        var actual = embedder.Embed(Texts);
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
        Assert.Same(embedder, provider.GetRequiredService<IEmbedder>());
        Assert.Same(provider.GetRequiredService<Embedder>().Info, embedder.Info);
    }

    [FixtureFact]
    public void Options_set_through_the_options_pattern_reach_the_embedder()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        using var provider = Build(services =>
        {
            services.AddEmbedder(options => options.Model = model);
            services.Configure<EmbedderServiceOptions>(options => options.Onnx.Embedder.ModelId = "configured-name");
        });
        Assert.Equal("configured-name", provider.GetRequiredService<IEmbedder>().Info.ModelId);
    }

    [FixtureFact]
    public async Task The_embedding_generator_truncates_to_the_requested_dimensions_and_reports_usage()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        using var provider = Build(services => services.AddEmbeddingGenerator(model));
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embedder = provider.GetRequiredService<IEmbedder>();

        var generated = await generator.GenerateAsync(Texts, new EmbeddingGenerationOptions { Dimensions = 16 });
        var expected = embedder.Embed(Texts, new EmbedOptions { Dimensions = 16 });
        Assert.Equal(Texts.Length, generated.Count);
        for (int i = 0; i < Texts.Length; i++) Assert.Equal(expected[i].ToArray(), generated[i].Vector.ToArray());
        Assert.Equal(expected.TotalTokens, generated.Usage?.InputTokenCount);

        Assert.Same(embedder, generator.GetService(typeof(IEmbedder)));
        var metadata = Assert.IsType<EmbeddingGeneratorMetadata>(generator.GetService(typeof(EmbeddingGeneratorMetadata)));
        Assert.Equal(EmbedderEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal(embedder.Info.ModelId, metadata.DefaultModelId);
        Assert.Equal(embedder.Info.Dimensions, metadata.DefaultModelDimensions);
    }

    [FixtureFact]
    public async Task Generation_defaults_apply_to_every_generation()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        using var provider = Build(services => services.AddEmbeddingGenerator(options =>
        {
            options.Model = model;
            options.GenerationDefaults = new EmbedOptions { PromptName = "query" };
        }));
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embedder = provider.GetRequiredService<IEmbedder>();

        var generated = await generator.GenerateAsync(["what is late chunking?"]);
        var withPrompt = embedder.Embed(["what is late chunking?"], new EmbedOptions { PromptName = "query" });
        var withoutPrompt = embedder.Embed(["what is late chunking?"]);
        Assert.Equal(withPrompt[0].ToArray(), generated[0].Vector.ToArray());
        Assert.NotEqual(withoutPrompt[0].ToArray(), generated[0].Vector.ToArray());
    }

    [FixtureFact]
    public void Disposing_the_container_releases_the_model()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        var provider = Build(services => services.AddEmbedder(model));
        var embedder = provider.GetRequiredService<IEmbedder>();
        embedder.Embed(Texts);
        provider.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(Texts));
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("  ", "is not set")]
    [InlineData("no/such/model/folder", "neither an existing folder nor a Hugging Face model id")]
    public async Task A_host_does_not_start_with_a_model_it_cannot_name(string? model, string reason)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEmbedder(options => options.Model = model);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(reason, error.Message);
        Assert.Contains(nameof(EmbedderServiceOptions.Model), error.Message);
    }

    [FixtureFact]
    public async Task A_host_starts_with_a_model_folder_and_serves_the_embedder()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEmbedder(Fixtures.ModelDir("bert-mean-tiny"));
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal(32, host.Services.GetRequiredService<IEmbedder>().Embed(Texts).Dimensions);
        await host.StopAsync();
    }

    [Fact]
    public void A_model_that_fails_to_load_is_logged_with_its_cause_and_thrown()
    {
        using var folder = new Support.TemporaryDirectory();
        var logs = new CapturedLogs();
        using var provider = Build(services => services.AddEmbedder(folder.Path), logs);

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IEmbedder>());
        var entry = Assert.Single(logs.Entries, e => e.EventId.Name == "ModelLoadFailed");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(error, entry.Exception);
        Assert.Equal(folder.Path, entry.Values["Model"]);
    }

    [FixtureFact]
    public void Loading_logs_the_files_the_runtime_and_the_dimensions()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        var logs = new CapturedLogs();
        using var provider = Build(services => services.AddEmbedder(model), logs);
        var embedder = provider.GetRequiredService<Embedder>();

        var entry = Assert.Single(logs.Entries, e => e.EventId.Name == "ModelLoaded");
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("Embeddings", entry.Category);
        Assert.Equal(OnnxModelFile.Find(embedder.Folder), entry.Values["OnnxPath"]);
        Assert.Equal(embedder.Folder.TokenizerJsonPath, entry.Values["TokenizerPath"]);
        Assert.Equal(32, entry.Values["Dimensions"]);
        Assert.Equal("Mean", entry.Values["Pooling"]);
        Assert.Equal(true, entry.Values["Normalize"]);
        Assert.Matches(@"^1\.\d+\.\d+", Assert.IsType<string>(entry.Values["RuntimeVersion"]));
        Assert.Equal("CPUExecutionProvider", entry.Values["ExecutionProvider"]);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Name == "CudaFallback");
    }

    [FixtureFact]
    public void A_CUDA_request_that_falls_back_to_the_CPU_logs_a_warning_saying_why_and_the_provider_used()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        var logs = new CapturedLogs();
        using var provider = Build(services => services.AddEmbedder(model, onnx =>
        {
            onnx.Runtime.CudaDeviceId = 0;
            onnx.Runtime.CudaFallbackToCpu = true;
        }), logs);
        var embedder = provider.GetRequiredService<Embedder>();

        var warning = Assert.Single(logs.Entries, e => e.EventId.Name == "CudaFallback");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("CUDA device 0", Assert.IsType<string>(warning.Values["Reason"]), StringComparison.Ordinal);
        var loaded = Assert.Single(logs.Entries, e => e.EventId.Name == "ModelLoaded");
        Assert.Equal("CPUExecutionProvider", loaded.Values["ExecutionProvider"]);
        Assert.Equal(32, embedder.Embed("still works").Length);
    }

    [FixtureFact]
    public async Task Every_call_logs_a_debug_line_with_counts_and_never_the_text()
    {
        string model = Fixtures.ModelDir("bert-mean-tiny");
        var logs = new CapturedLogs();
        using var provider = Build(services => services.AddEmbedder(model), logs);
        var embedder = provider.GetRequiredService<IEmbedder>();
        string[] secret = ["a confidential sentence about zebras"];

        var dense = embedder.Embed(secret);
        await embedder.EmbedTokensAsync(secret);
        Assert.Throws<NotSupportedException>(() => embedder.EmbedSparse(secret));

        var calls = logs.Entries.Where(e => e.EventId.Id >= 10).ToArray();
        Assert.Equal(["Embed", "EmbedTokensAsync", "EmbedSparse"], calls.Select(e => (string)e.Values["Operation"]!));
        Assert.All(calls, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.Equal(dense.TotalTokens, calls[0].Values["Tokens"]);
        Assert.Equal(1, calls[0].Values["Count"]);
        Assert.Equal("CallFailed", calls[2].EventId.Name);
        Assert.Equal(nameof(NotSupportedException), calls[2].Values["ExceptionType"]);
        Assert.All(logs.Entries, e => Assert.DoesNotContain("zebras", e.Message + string.Join(' ', e.Values.Values)));
    }
}
