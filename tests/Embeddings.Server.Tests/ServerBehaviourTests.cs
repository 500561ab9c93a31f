using Embeddings.Onnx;
using Embeddings.Server.Tests.Support;
using Embeddings.TestModels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Embeddings.Server.Tests;

/// <summary>Overload, concurrency, graceful shutdown and the server's own settings.</summary>
public sealed class ServerBehaviourTests
{
    private static string Bert => Fixtures.ModelDir("bert-mean-tiny");

    /// <summary>Stands in for the micro-batching queue at its limit: every asynchronous call is refused.</summary>
    private sealed class FullQueue(IEmbedder inner) : DelegatingEmbedder(inner)
    {
        public override Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromException<EmbeddingResult>(new EmbeddingQueueFullException());
    }

    /// <summary>Holds every dense call until released, and says when one has arrived.</summary>
    private sealed class Gate(IEmbedder inner) : DelegatingEmbedder(inner)
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> texts, EmbedOptions? options = null, CancellationToken cancellationToken = default)
        {
            Arrived.TrySetResult();
            await Release.Task;
            return await Inner.EmbedAsync(texts, options, cancellationToken);
        }
    }

    private static Action<IServiceCollection> ReplaceEmbedder(Func<IEmbedder, IEmbedder> wrap) => services =>
        services.Replace(ServiceDescriptor.Singleton<IEmbedder>(provider => wrap(provider.GetRequiredService<Embedder>())));

    [FixtureFact]
    public async Task A_full_queue_is_answered_429_overloaded_on_both_APIs_and_health_stays_up()
    {
        await using var server = await RunningServer.StartAsync(Bert, configureServices: ReplaceEmbedder(inner => new FullQueue(inner)));

        var (teiStatus, teiBody) = await server.PostAsync("/embed", new { inputs = "a" });
        Assert.Equal(429, teiStatus);
        Assert.Equal("Overloaded", Json.Required(teiBody).GetProperty("error_type").GetString());

        var (openAiStatus, openAiBody) = await server.PostAsync("/v1/embeddings", new { input = "a" });
        Assert.Equal(429, openAiStatus);
        Assert.Equal("Overloaded", Json.Required(openAiBody).GetProperty("error").GetProperty("type").GetString());

        Assert.Equal(200, (await server.GetAsync("/health")).Status);
    }

    [FixtureFact]
    public async Task The_server_runs_the_embedder_with_the_micro_batching_queue()
    {
        await using var server = await RunningServer.StartAsync(Bert, ["--max-queued-tokens", "4096", "--max-batch-tokens", "2048"]);
        var registration = server.App.Services.GetRequiredService<IOptions<EmbedderServiceOptions>>().Value;
        Assert.NotNull(registration.Onnx.Embedder.Queue);
        Assert.Equal(4096, registration.Onnx.Embedder.Queue!.MaxQueuedTokens);
        Assert.Equal(2048, registration.Onnx.Embedder.MaxBatchTokens);
    }

    [FixtureFact]
    public async Task Concurrent_requests_each_get_their_own_vectors()
    {
        await using var server = await RunningServer.StartAsync(Bert);
        var model = server.App.Services.GetRequiredService<Embedder>();
        var texts = Enumerable.Range(0, 24).Select(i => $"request number {i} asks about {(i % 3 == 0 ? "cats" : "the stock market")}").ToArray();
        var expected = model.Embed(texts, new EmbedOptions { Normalize = true });

        var answers = await Task.WhenAll(texts.Select(text => server.PostAsync("/embed", new { inputs = text })));
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(200, answers[i].Status);
            var row = Assert.Single(Json.FloatRows(Json.Required(answers[i].Body)));
            // Requests that meet in the queue share model runs; a text's vector may move by rounding with its batch, no more.
            Assert.Equal(expected.Dimensions, row.Length);
            float worst = expected[i].ToArray().Zip(row, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-5f, $"request {i}: max abs diff {worst:E2} from the library's vector");
        }
    }

    [FixtureFact]
    public async Task Stopping_lets_a_request_in_flight_finish()
    {
        var server = await RunningServer.StartAsync(Bert, configureServices: ReplaceEmbedder(inner => new Gate(inner)));
        var gate = (Gate)server.App.Services.GetRequiredService<IEmbedder>();
        var request = server.PostAsync("/embed", new { inputs = "finish me" });
        await gate.Arrived.Task; // the request is inside the model call

        var stopping = server.App.StopAsync();
        Assert.False(stopping.IsCompleted, "The server stopped while a request was in flight.");
        gate.Release.SetResult();

        var (status, body) = await request;
        await stopping;
        Assert.Equal(200, status);
        var model = server.App.Services.GetRequiredService<Embedder>();
        Assert.Equal(model.Embed(["finish me"])[0].ToArray(), Assert.Single(Json.FloatRows(Json.Required(body))));
        await server.DisposeAsync();
    }

    [FixtureFact]
    public async Task Max_client_batch_size_and_auto_truncate_are_settings()
    {
        await using var server = await RunningServer.StartAsync(Bert, ["--max-client-batch-size", "2", "--auto-truncate", "false"]);
        Assert.Equal(413, (await server.PostAsync("/embed", new { inputs = new[] { "a", "b", "c" } })).Status);
        Assert.Equal(200, (await server.PostAsync("/embed", new { inputs = new[] { "a", "b" } })).Status);

        string longText = string.Join(' ', Enumerable.Repeat("word", 600));
        Assert.Equal(422, (await server.PostAsync("/embed", new { inputs = longText })).Status);
        Assert.Equal(200, (await server.PostAsync("/embed", new { inputs = longText, truncate = true })).Status);
        Assert.Equal(422, (await server.PostAsync("/v1/embeddings", new { input = longText })).Status);

        var (_, info) = await server.GetAsync("/info");
        Assert.Equal(2, Json.Required(info).GetProperty("max_client_batch_size").GetInt32());
        Assert.False(Json.Required(info).GetProperty("auto_truncate").GetBoolean());
    }

    [FixtureFact]
    public async Task The_served_model_name_is_what_clients_see()
    {
        await using var server = await RunningServer.StartAsync(Bert, ["--served-model-name", "my-embedder"]);
        var (_, body) = await server.PostAsync("/v1/embeddings", new { input = "a" });
        Assert.Equal("my-embedder", Json.Required(body).GetProperty("model").GetString());
        var (_, info) = await server.GetAsync("/info");
        Assert.Equal("my-embedder", Json.Required(info).GetProperty("served_model_name").GetString());
        Assert.Equal("bert-mean-tiny", Json.Required(info).GetProperty("model_id").GetString());
    }

    [Fact]
    public async Task Without_urls_the_server_listens_on_loopback_port_8080()
    {
        await using var app = EmbeddingServer.Build(["--model", "some/model"]);
        Assert.Equal(ServerSettings.DefaultUrls, app.Configuration[WebHostDefaults.ServerUrlsKey]);
        Assert.Equal("http://127.0.0.1:8080", ServerSettings.DefaultUrls);
    }

    [Theory]
    [InlineData("--max-client-batch-size", "0")]
    [InlineData("--max-client-batch-size", "many")]
    [InlineData("--auto-truncate", "maybe")]
    [InlineData("--model", " ")]
    public void Malformed_settings_are_refused_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<ServerConfigurationException>(() => EmbeddingServer.Build([key, value]));
        Assert.Contains(key, error.Message);
    }
}
