using Embeddings.TestModels;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.Server.Tests.Support;

/// <summary>One server per test class, over a model fixture, with the library's own embedder for comparisons.</summary>
public abstract class ModelServer(string model) : IAsyncLifetime
{
    private RunningServer? _server;

    internal RunningServer Server => _server ?? throw new InvalidOperationException("The shared fixtures are missing; the server was not started.");

    /// <summary>The model the server runs, called directly.</summary>
    internal Embedder Model => Server.App.Services.GetRequiredService<Embedder>();

    public async Task InitializeAsync()
    {
        // Without the fixtures every test of the class is skipped (or failed, in CI) by its attribute.
        if (Fixtures.Available) _server = await RunningServer.StartAsync(Fixtures.ModelDir(model));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>A server over bert-mean-tiny (dense, mean pooling, normalized, prompts query/document).</summary>
public sealed class BertServer() : ModelServer("bert-mean-tiny");

/// <summary>A server over splade-tiny (sparse only).</summary>
public sealed class SpladeServer() : ModelServer("splade-tiny");

/// <summary>A server over cross-encoder-tiny (a reranker).</summary>
public sealed class CrossEncoderServer() : ModelServer("cross-encoder-tiny");
